package io.seatledger.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication(scanBasePackages = "io.seatledger")
@EnableScheduling
public class SeatLedgerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SeatLedgerApplication.class, args);
    }
}
