package io.seatledger.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication(scanBasePackages = "io.seatledger")
public class SeatLedgerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SeatLedgerApplication.class, args);
    }
}
