package io.seatledger.api.eventstore;

import io.axoniq.axonserver.grpc.event.Event;
import io.seatledger.api.config.eventstore.EventStoreConfiguration;
import io.seatledger.api.axon.CompressedSnapshots;
import io.seatledger.command.seatpool.SeatPool;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.SeatAssigned;
import io.seatledger.messages.seatpool.SeatPoolPurchased;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.event.axon.GrpcMetaDataAwareSerializer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.jackson3.Jackson3Serializer;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;
import org.junit.jupiter.api.Test;
import org.springframework.test.util.ReflectionTestUtils;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code axonserver} profile stores a 100,000-seat pool's snapshot in one message both ends accept: the client's
 * largest message is the server's, and the store compresses snapshots. Axon Server needs Docker (see
 * {@link AxonServerEventStoreTest}) and the application does not start without one; here the profile's settings are
 * read from its property files, its store is built by the application's own bean method, and the snapshot is turned
 * into the very gRPC message that store would send.
 */
class AxonServerSnapshotSizeTest {

    static final int SEATS = 100_000;

    @Test
    void bothEndsAgreeOnTheLargestMessage() throws Exception {
        assertThat(profileSettings().getMaxMessageSize()).as("the client's largest message is the server's").isEqualTo(serverLimit());
        String compose = Files.readString(Path.of("..", "docker-compose.yml"));
        assertThat(compose).as("docker-compose runs the server with its properties file and overrides nothing of it")
                .contains("./axonserver/axonserver.properties:/axonserver/config/axonserver.properties")
                .doesNotContainIgnoringCase("max-message-size").doesNotContainIgnoringCase("MAX_MESSAGE_SIZE");
    }

    @Test
    void aLargePoolsSnapshotFitsInOneMessageCompressedAndWouldNotUncompressed() throws Exception {
        AxonServerConfiguration client = profileSettings();
        AxonServerConnectionManager connections = AxonServerConnectionManager.builder().axonServerConfiguration(client).build();
        try {
            Jackson3Serializer serializer = Jackson3Serializer.builder().build();
            AxonServerEventStore store = new EventStoreConfiguration().axonServerEventStore(client,
                    DefaultConfigurer.defaultConfiguration().buildConfiguration(), connections, serializer, serializer);
            EventStorageEngine engine = ReflectionTestUtils.invokeMethod(store, "storageEngine");
            Serializer snapshots = ReflectionTestUtils.invokeMethod(engine, "getSnapshotSerializer");
            assertThat(snapshots).isInstanceOf(GrpcMetaDataAwareSerializer.class);
            assertThat(ReflectionTestUtils.getField(snapshots, "delegate")).as("the store's snapshot serializer, under Axon's metadata wrapper")
                    .isInstanceOf(CompressedSnapshots.class);

            DomainEventMessage<SeatPool> snapshot = largePoolSnapshot();
            Event compressed = ReflectionTestUtils.invokeMethod(engine, "map", snapshot, snapshots);
            assertThat(compressed.getSerializedSize()).as("the compressed snapshot's message").isLessThan(client.getMaxMessageSize());
            Event uncompressed = ReflectionTestUtils.invokeMethod(engine, "map", snapshot, new GrpcMetaDataAwareSerializer(serializer));
            assertThat(uncompressed.getSerializedSize()).as("uncompressed, as Axon's own store would send it").isGreaterThan(serverLimit());
        } finally {
            connections.shutdown();
        }
    }

    /** The client's settings under the axonserver profile, bound as Spring Boot binds them: the profile's file over the defaults. */
    private static AxonServerConfiguration profileSettings() throws Exception {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addLast(new ResourcePropertySource(new ClassPathResource("application-axonserver.properties")));
        sources.addLast(new ResourcePropertySource(new ClassPathResource("application.properties")));
        sources.addFirst(new MapPropertySource("test", Map.of("axon.axonserver.servers", "localhost:1")));
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources))
                .bind("axon.axonserver", Bindable.ofInstance(new AxonServerConfiguration())).get();
    }

    private static int serverLimit() throws Exception {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("..", "axonserver", "axonserver.properties"))) {
            properties.load(in);
        }
        return Integer.parseInt(properties.getProperty("axoniq.axonserver.max-message-size"));
    }

    /** A pool of 100,000 pending seats, loaded from its events and snapshotted as the write model's snapshotter does. */
    private static DomainEventMessage<SeatPool> largePoolSnapshot() {
        String poolId = UUID.randomUUID().toString();
        String orgId = "org-" + UUID.randomUUID();
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        DomainEventMessage<?> purchased = new GenericDomainEventMessage<>("SeatPool", poolId, 0, new SeatPoolPurchased(poolId, orgId,
                PoolKind.SUBSCRIPTION, SEATS, Pricing.perSeat("eur", 1000), BillingInterval.MONTH, PoolStatus.ACTIVE,
                BillingPeriod.startingAt(now, BillingInterval.MONTH), null, now));
        Stream<DomainEventMessage<?>> assigned = Stream.iterate(1, i -> i <= SEATS, i -> i + 1)
                .map(i -> new GenericDomainEventMessage<>("SeatPool", poolId, i, new SeatAssigned(poolId, orgId, UUID.randomUUID().toString(),
                        "member-" + i + "@large-pool.example", sha256Hex(UUID.randomUUID().toString()), now.plus(Duration.ofDays(14)), Map.of(), now)));
        SeatPool root = new GenericAggregateFactory<>(SeatPool.class).createAggregateRoot(poolId, purchased);
        EventSourcedAggregate<SeatPool> pool = EventSourcedAggregate.initialize(root, AnnotatedAggregateMetaModelFactory.inspectAggregate(SeatPool.class),
                null, NoSnapshotTriggerDefinition.INSTANCE.prepareTrigger(SeatPool.class));
        pool.initializeState(DomainEventStream.of(Stream.concat(Stream.of(purchased), assigned)));
        assertThat(pool.getAggregateRoot().seatsInMemory()).isEqualTo(SEATS);
        return new GenericDomainEventMessage<>(pool.type(), poolId, pool.version(), pool.getAggregateRoot());
    }

    /** An invitation token's hash as the pool keeps it: random, so it compresses as badly as a real one. */
    private static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
