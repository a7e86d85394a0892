package io.seatledger.api.config.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How the service talks to Redis when Redis goes away. Each use of Redis has a fallback or tries again (readers answer
 * from PostgreSQL, rate limits are kept per instance, the counter processor retries its batch, the completeness check
 * and reconciliation run again later), so while the connection is down a command is refused at once instead of being
 * queued, and the connection is tried again at least every second. Lettuce's defaults keep commands until it
 * reconnects (up to 30 s apart) and then send them to whatever Redis answers, a new and empty one after a loss, while
 * their callers wait up to the command timeout ({@code spring.data.redis.timeout}).
 */
@Configuration(proxyBeanMethods = false)
public class RedisClientConfiguration {

    /** Tries to reconnect every 50 ms for the first few attempts, then ever less often, never more than a second apart. */
    static final Delay RECONNECT_DELAY = Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS);

    @Bean
    public LettuceClientOptionsBuilderCustomizer commandsRefusedWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    @Bean
    public ClientResourcesBuilderCustomizer reconnectAtLeastEverySecond() {
        return resources -> resources.reconnectDelay(RECONNECT_DELAY);
    }
}
