package io.seatledger.api.config.reads;

import io.seatledger.api.settings.SeatLedgerProperties;
import io.seatledger.query.ReadSource;
import io.seatledger.query.TenantScope;
import io.seatledger.query.audit.AuditReader;
import io.seatledger.query.seatpool.Replays;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The read path's parts that take settings: the Redis read timeout, audit exports and time-travel replays. */
@Configuration(proxyBeanMethods = false)
public class ReadConfiguration {

    @Bean
    public ReadSource readSource(ReactiveStringRedisTemplate redis, SeatLedgerProperties settings) {
        return new ReadSource(redis, settings.redis().readTimeout());
    }

    @Bean
    public AuditReader auditReader(TenantScope tenant, SeatLedgerProperties settings) {
        return new AuditReader(tenant, settings.audit().exportPageSize(), settings.audit().exportsPerOrganization());
    }

    @Bean
    public Replays replays(SeatLedgerProperties settings) {
        SeatLedgerProperties.TimeTravel timeTravel = settings.timeTravel();
        return new Replays(timeTravel.threads(), timeTravel.queueCapacity(), timeTravel.replaysPerOrganization());
    }
}
