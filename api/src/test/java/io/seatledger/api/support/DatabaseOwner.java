package io.seatledger.api.support;

import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The database as the schemas' owner (the role the migrations run as), for what a test does behind the
 * service's back: tampering with stored rows, adding a trigger, emptying a table. The service's own
 * {@link JdbcTemplate} connects as the runtime role, which may do none of that.
 */
public record DatabaseOwner(JdbcTemplate jdbc) {

    static class Configuration {
        @Bean
        DatabaseOwner databaseOwner(Environment environment) {
            return new DatabaseOwner(new JdbcTemplate(new DriverManagerDataSource(environment.getRequiredProperty("spring.datasource.url"),
                    environment.getRequiredProperty("spring.flyway.user"), environment.getRequiredProperty("spring.flyway.password"))));
        }
    }
}
