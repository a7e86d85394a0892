package io.seatledger.api.webhook;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Resolves the hosts webhooks connect to and refuses every address {@link WebhookUrls} does not allow, at the moment
 * of connecting: a name that resolved to a public address when its endpoint was registered and resolves to a private
 * one now (DNS rebinding) is not connected to. Lookups block, so they run on a small pool of their own instead of the
 * event loop every other tenant's attempts share.
 */
final class PublicAddressResolver extends AddressResolverGroup<InetSocketAddress> {

    private final WebhookUrls urls;
    private final ExecutorService lookups;

    PublicAddressResolver(WebhookUrls urls, ExecutorService lookups) {
        this.urls = urls;
        this.lookups = lookups;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetSocketAddressResolver(executor, new Names(executor));
    }

    private final class Names extends InetNameResolver {

        Names(EventExecutor executor) {
            super(executor);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            lookUp(host, promise, all -> all.get(0));
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            lookUp(host, promise, all -> all);
        }

        private <T> void lookUp(String host, Promise<T> promise, java.util.function.Function<List<InetAddress>, T> answer) {
            try {
                lookups.execute(() -> {
                    try {
                        List<InetAddress> all = Arrays.asList(InetAddress.getAllByName(host));
                        all.forEach(urls::checkAddress);
                        promise.trySuccess(answer.apply(all));
                    } catch (Exception failure) {
                        promise.tryFailure(failure);
                    }
                });
            } catch (RuntimeException rejected) {
                promise.tryFailure(rejected);
            }
        }
    }
}
