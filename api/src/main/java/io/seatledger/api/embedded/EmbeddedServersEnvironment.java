package io.seatledger.api.embedded;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.Map;

/**
 * The embedded default: when no external PostgreSQL is configured ({@code spring.datasource.url}),
 * start a real PostgreSQL and Redis under {@code seatledger.data-dir} and point the standard
 * Spring properties at them: the migrations run as the schemas' owner, the service's connections use a role
 * that owns nothing. The servers start while the context is built; the first bean that connects waits for them
 * ({@link ConnectAfterStart}).
 */
public class EmbeddedServersEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "seatledgerEmbeddedServers";
    static final String DEFAULT_DATA_DIRECTORY = "./data";

    /** Logging is not set up yet while the environment is prepared; these lines are replayed once it is. */
    private final Log log;

    public EmbeddedServersEnvironment(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EmbeddedServers.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!enabled(environment) || environment.getPropertySources().contains(PROPERTY_SOURCE)) {
            return;
        }
        Path dataDirectory = Path.of(environment.getProperty("seatledger.data-dir", DEFAULT_DATA_DIRECTORY));
        boolean startClean = environment.getProperty("seatledger.embedded.start-clean", Boolean.class, false);
        if (startClean && dataDirectory.normalize().equals(Path.of(DEFAULT_DATA_DIRECTORY).normalize())) {
            throw new IllegalStateException("seatledger.embedded.start-clean wipes the data directory; it is refused for the default "
                    + DEFAULT_DATA_DIRECTORY + ", which holds the service's real data: set seatledger.data-dir to a scratch directory");
        }
        EmbeddedServers servers = EmbeddedServers.launch(new EmbeddedServers.Settings(dataDirectory, startClean,
                environment.getProperty("seatledger.embedded.postgres-port", Integer.class, 0),
                environment.getProperty("seatledger.embedded.redis-port", Integer.class, 0),
                environment.getProperty("seatledger.embedded.synchronous-commit", Boolean.class, true)), log);
        SpringApplication.getShutdownHandlers().add(EmbeddedServers::stopAll);
        application.addInitializers(context -> context.getBeanFactory().addBeanPostProcessor(new ConnectAfterStart(servers)));
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, Map.of(
                "spring.datasource.url", servers.jdbcUrl(),
                "spring.datasource.username", servers.runtimeUser(),
                "spring.datasource.password", servers.runtimePassword(),
                "spring.r2dbc.url", servers.r2dbcUrl(),
                "spring.r2dbc.username", servers.runtimeUser(),
                "spring.r2dbc.password", servers.runtimePassword(),
                "spring.flyway.user", servers.ownerUser(),
                "spring.flyway.password", servers.ownerPassword(),
                "spring.data.redis.host", "127.0.0.1",
                "spring.data.redis.port", String.valueOf(servers.redisPort()))));
    }

    /** Whether this environment runs on the embedded servers: unless turned off, whenever no external database is configured. */
    public static boolean enabled(Environment environment) {
        return environment.getProperty("seatledger.embedded.enabled", Boolean.class, !environment.containsProperty("spring.datasource.url"));
    }

    /** After the application's own configuration is loaded, so its properties decide. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
