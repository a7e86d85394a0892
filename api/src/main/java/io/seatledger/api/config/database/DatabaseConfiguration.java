package io.seatledger.api.config.database;

import com.zaxxer.hikari.HikariDataSource;
import io.seatledger.api.settings.SeatLedgerProperties;
import io.seatledger.projections.MaintenanceTimeouts;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Properties;

/**
 * PostgreSQL's two sides. JDBC for events, tokens, deadlines and projection writes, declared here because
 * Spring Boot creates no JDBC DataSource once R2DBC is on the classpath; R2DBC for the read path. Every
 * connection of both starts with the service's statement and idle-in-transaction timeouts; schema migrations,
 * which may rewrite large tables, get connections of their own with the longer maintenance timeout. Axon's JDBC work
 * joins the Spring transactions declared here.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    /** The timeouts of the service's own connections (JDBC and R2DBC). */
    @Bean
    public SessionTimeouts sessionTimeouts(SeatLedgerProperties settings) {
        return new SessionTimeouts(settings.database().statementTimeout(), settings.database().idleInTransactionTimeout());
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(@Value("${spring.datasource.url}") String url,
                                       @Value("${spring.datasource.username:postgres}") String username,
                                       @Value("${spring.datasource.password:}") String password, SessionTimeouts timeouts) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(username);
        dataSource.setPassword(password);
        dataSource.setPoolName("seat-ledger-jdbc");
        dataSource.addDataSourceProperty("options", timeouts.commandLineOptions());
        return dataSource;
    }

    /** The R2DBC pool's connections start with the same timeouts. */
    @Bean
    public ConnectionFactoryOptionsBuilderCustomizer sessionTimeoutsOnReads(SessionTimeouts timeouts) {
        return options -> options.option(PostgresqlConnectionFactoryProvider.OPTIONS, timeouts.parameters());
    }

    /**
     * Flyway's connections, unpooled and only for migrations (not a candidate for anything else), as the schemas'
     * owner ({@code spring.flyway.user}; the runtime role may create nothing): a migration may run one long
     * statement, so they start with the maintenance timeout instead.
     */
    @Bean(defaultCandidate = false)
    @FlywayDataSource
    public DataSource migrationDataSource(@Value("${spring.flyway.url:${spring.datasource.url}}") String url,
                                          @Value("${spring.flyway.user:${spring.datasource.username:postgres}}") String username,
                                          @Value("${spring.flyway.password:${spring.datasource.password:}}") String password,
                                          SeatLedgerProperties settings) {
        Duration maintenance = settings.database().maintenanceTimeout();
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), url, username, password);
        Properties properties = new Properties();
        properties.setProperty("options", new SessionTimeouts(maintenance, maintenance).commandLineOptions());
        dataSource.setConnectionProperties(properties);
        return dataSource;
    }

    /** The few long operations of a running service (a rebuilt read model's swap, the Redis counter rebuild) lift the timeouts to this. */
    @Bean
    public MaintenanceTimeouts maintenanceTimeouts(JdbcTemplate jdbc, SeatLedgerProperties settings) {
        return new MaintenanceTimeouts(jdbc, settings.database().maintenanceTimeout());
    }

    @Bean
    public PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    public TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    /** Joins the Spring transaction, so a projection's writes and its token update commit together. */
    @Bean
    public ConnectionProvider connectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    /** The read path's transactions (R2DBC): read-only, each naming its tenant first (see TenantScope). */
    @Bean
    public ReactiveTransactionManager readTransactionManager(ConnectionFactory connectionFactory) {
        return new R2dbcTransactionManager(connectionFactory);
    }

    @Bean
    public TransactionalOperator readTransactions(ReactiveTransactionManager readTransactionManager) {
        DefaultTransactionDefinition readOnly = new DefaultTransactionDefinition();
        readOnly.setReadOnly(true);
        return TransactionalOperator.create(readTransactionManager, readOnly);
    }
}
