package io.seatledger.api.config;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How the read models are built. */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfiguration {

    /**
     * A failing event handler fails its batch: the batch's writes and its token roll back together and the
     * processor retries, instead of Axon's default of logging the error and moving on past the event.
     */
    @Bean
    public ConfigurerModule projectionsFailLoudly() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(config -> PropagatingErrorHandler.instance());
    }
}
