package io.seatledger.api.faults;

import io.seatledger.api.security.DevTokens;
import io.seatledger.api.support.Api;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Concurrent HTTP load of several tenants, as their clients make it: one writer per tenant assigning seats (one
 * at a time and in bulk), claiming invitations and revoking seats of its one pool, and one reader asking every
 * tenant's entitlement checks for users who hold a seat throughout. Keeps every write the service acknowledged
 * (2xx), every answer's status (with whether a 503 said when to retry) and every entitlement answer that was
 * wrong, by the phase a test names ({@link #phase}).
 */
public final class TenantLoad implements AutoCloseable {

    /**
     * How long a request may take before it counts as unanswered: a store outage must not hang clients. Above the
     * JDBC pool's 30 s wait for a connection, after which a command answers 503.
     */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(40);

    private static final int BULK_SEATS = 3;

    /** One tenant of the load: its organization, its one pool and two users holding a seat from the start. */
    public record Tenant(String orgId, String poolId, WebTestClient manager, List<Holder> anchors, Acknowledged acknowledged) {
    }

    public record Holder(String userId, String seatId) {
    }

    /** The writes the service acknowledged for a tenant, by seat id. */
    public record Acknowledged(Set<String> assigned, Set<String> claimed, Set<String> revoked) {
        static Acknowledged none() {
            return new Acknowledged(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
        }

        public int count() {
            return assigned.size() + claimed.size() + revoked.size();
        }
    }

    /**
     * One answer: the phases it was asked and answered in, the operation, its status (-1: none within
     * {@link #ANSWER_WITHIN}, -2: a holder answered not entitled), when it came and how long it took.
     */
    public record Answer(String phase, String answeredIn, String tenant, String operation, int status, boolean retryAfter, long atNanos,
                         long millis, String detail) {
        boolean acceptable() {
            return status >= 200 && status < 500 || status == 503 && retryAfter;
        }
    }

    private final Api api;
    private final DevTokens tokens;
    private final List<Tenant> tenants;
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    /** Per tenant: seats assigned and not yet claimed or revoked by this load; seats claimed and not yet revoked. */
    private final Map<String, List<Invited>> invited = new ConcurrentHashMap<>();
    private final Map<String, List<Invited>> held = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients;
    private final List<Future<?>> work = new ArrayList<>();
    private volatile String phase = "before";
    /** The phases in the order they were named. */
    private final List<String> phases = new CopyOnWriteArrayList<>(List.of("before"));

    private record Invited(String seatId, String email, String token) {
    }

    private TenantLoad(Api api, DevTokens tokens, List<Tenant> tenants) {
        this.api = api;
        this.tokens = tokens;
        this.tenants = tenants;
        this.clients = Executors.newFixedThreadPool(tenants.size() + 1);
    }

    /** Creates the tenants (organization, pool of {@code seats}, two claimed seats each) and starts their clients. */
    public static TenantLoad start(int port, DevTokens tokens, int tenantCount, int seats) {
        Api api = new Api(port);
        List<Tenant> tenants = new ArrayList<>();
        for (int i = 0; i < tenantCount; i++) {
            tenants.add(newTenant(api, tokens, seats));
        }
        TenantLoad load = new TenantLoad(api, tokens, List.copyOf(tenants));
        load.tenants.forEach(tenant -> {
            load.invited.put(tenant.orgId(), Collections.synchronizedList(new ArrayList<>()));
            load.held.put(tenant.orgId(), Collections.synchronizedList(new ArrayList<>()));
        });
        for (int i = 0; i < tenantCount; i++) {
            Tenant tenant = load.tenants.get(i);
            Random random = new Random(i);
            load.work.add(load.clients.submit(() -> load.write(tenant, random)));
        }
        load.work.add(load.clients.submit(load::checkEntitlements));
        return load;
    }

    public List<Tenant> tenants() {
        return tenants;
    }

    /** Names the phase of the answers from now on. */
    public void phase(String name) {
        phases.add(name);
        phase = name;
    }

    /** The phases an answer was under way in: from the one it was asked in to the one it was answered in. */
    public List<String> phasesSpanned(Answer answer) {
        int asked = phases.indexOf(answer.phase());
        int answered = phases.lastIndexOf(answer.answeredIn());
        return asked < 0 || answered < asked ? List.of(answer.phase(), answer.answeredIn()) : List.copyOf(phases.subList(asked, answered + 1));
    }

    /** Stops the clients after their requests under way are answered. */
    @Override
    public void close() {
        running.set(false);
        for (Future<?> client : work) {
            try {
                client.get(ANSWER_WITHIN.toSeconds() + 10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("a load client did not finish", e);
            }
        }
        clients.shutdownNow();
    }

    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Answers that break the contract under faults: a 5xx other than 503 with Retry-After, no answer, a wrong entitlement. */
    public List<Answer> unacceptable() {
        return answers.stream().filter(answer -> !answer.acceptable()).toList();
    }

    public int acknowledgedWrites() {
        return tenants.stream().mapToInt(tenant -> tenant.acknowledged().count()).sum();
    }

    /** When the first write of this phase was acknowledged, if one was. */
    public java.util.OptionalLong firstAcknowledgedWriteIn(String phaseName) {
        return answers.stream().filter(answer -> answer.phase().equals(phaseName) && !answer.operation().equals("entitlement")
                && answer.status() >= 200 && answer.status() < 300).mapToLong(Answer::atNanos).min();
    }

    /** Status counts, median and slowest answer by phase and operation, for the test's printout. */
    public String summary() {
        Map<String, List<Answer>> byPhase = answers.stream().collect(Collectors.groupingBy(answer -> answer.phase() + " " + answer.operation(),
                TreeMap::new, Collectors.toList()));
        return byPhase.entrySet().stream().map(entry -> {
            Map<Integer, Long> statuses = entry.getValue().stream().collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()));
            long[] millis = entry.getValue().stream().mapToLong(Answer::millis).sorted().toArray();
            return entry.getKey() + " " + statuses + " median " + millis[millis.length / 2] + " ms, slowest " + millis[millis.length - 1] + " ms";
        }).collect(Collectors.joining("\n  ", "  ", ""));
    }

    // ------------------------------------------------------------------ the clients

    private void write(Tenant tenant, Random random) {
        while (running.get()) {
            int dice = random.nextInt(100);
            if (dice < 35) {
                assign(tenant);
            } else if (dice < 45) {
                assignInBulk(tenant);
            } else if (dice < 70) {
                claim(tenant, random);
            } else {
                revoke(tenant, random);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void assign(Tenant tenant) {
        String email = "seat-" + UUID.randomUUID() + "@load.example";
        EntityExchangeResult<Map> answer = record(tenant, "assign", () -> tenant.manager().post()
                .uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", tenant.orgId(), tenant.poolId())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", email)));
        if (answer != null && answer.getStatus().value() == 201) {
            Map<String, Object> seat = answer.getResponseBody();
            String seatId = (String) seat.get("seatId");
            tenant.acknowledged().assigned().add(seatId);
            invited.get(tenant.orgId()).add(new Invited(seatId, email, (String) ((Map<String, Object>) seat.get("invitation")).get("token")));
        }
    }

    @SuppressWarnings("unchecked")
    private void assignInBulk(Tenant tenant) {
        List<Map<String, Object>> seats = new ArrayList<>();
        for (int i = 0; i < BULK_SEATS; i++) {
            seats.add(Map.of("email", "bulk-" + UUID.randomUUID() + "@load.example"));
        }
        EntityExchangeResult<Map> answer = record(tenant, "bulk", () -> tenant.manager().post()
                .uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/bulk", tenant.orgId(), tenant.poolId())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("seats", seats, "atomic", true)));
        if (answer != null && answer.getStatus().value() == 200) {
            for (Map<String, Object> seat : (List<Map<String, Object>>) answer.getResponseBody().get("assigned")) {
                String seatId = (String) seat.get("seatId");
                tenant.acknowledged().assigned().add(seatId);
                invited.get(tenant.orgId()).add(new Invited(seatId, (String) seat.get("email"),
                        (String) ((Map<String, Object>) seat.get("invitation")).get("token")));
            }
        }
    }

    private void claim(Tenant tenant, Random random) {
        Invited seat = take(invited.get(tenant.orgId()), random);
        if (seat == null) {
            return;
        }
        String user = "user-" + seat.seatId();
        WebTestClient invitee = client(tokens.issue(user, tenant.orgId(), seat.email(), List.of()));
        EntityExchangeResult<Map> answer = record(tenant, "claim", () -> invitee.post().uri("/api/v1/invitations/{token}/claim", seat.token()));
        if (answer != null && answer.getStatus().value() == 200) {
            tenant.acknowledged().claimed().add(seat.seatId());
            held.get(tenant.orgId()).add(seat);
        }
    }

    private void revoke(Tenant tenant, Random random) {
        Invited seat = take((random.nextBoolean() ? held : invited).get(tenant.orgId()), random);
        if (seat == null) {
            return;
        }
        EntityExchangeResult<Map> answer = record(tenant, "revoke", () -> tenant.manager().delete()
                .uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats/{seat}", tenant.orgId(), tenant.poolId(), seat.seatId()));
        if (answer != null && answer.getStatus().value() == 200) {
            tenant.acknowledged().revoked().add(seat.seatId());
        }
    }

    /** A seat of this list, taken off it: each seat is claimed at most once and revoked at most once. */
    private static Invited take(List<Invited> seats, Random random) {
        synchronized (seats) {
            return seats.isEmpty() ? null : seats.remove(random.nextInt(seats.size()));
        }
    }

    @SuppressWarnings("unchecked")
    private void checkEntitlements() {
        while (running.get()) {
            for (Tenant tenant : tenants) {
                for (Holder anchor : tenant.anchors()) {
                    EntityExchangeResult<Map> answer = record(tenant, "entitlement", () -> tenant.manager().get()
                            .uri("/api/v1/orgs/{org}/entitlements/{user}", tenant.orgId(), anchor.userId()));
                    if (answer != null && answer.getStatus().value() == 200) {
                        List<Map<String, Object>> seats = (List<Map<String, Object>>) answer.getResponseBody().get("seats");
                        boolean held = Boolean.TRUE.equals(answer.getResponseBody().get("entitled"))
                                && seats.stream().anyMatch(seat -> anchor.seatId().equals(seat.get("seatId")));
                        if (!held) {
                            answers.add(new Answer(phase, phase, tenant.orgId(), "entitlement", -2, false, System.nanoTime(), 0,
                                    "a holder was answered not entitled: " + answer.getResponseBody()));
                        }
                    }
                }
            }
        }
    }

    private EntityExchangeResult<Map> record(Tenant tenant, String operation, java.util.function.Supplier<WebTestClient.RequestHeadersSpec<?>> request) {
        String askedIn = phase;
        long asked = System.nanoTime();
        try {
            EntityExchangeResult<Map> result = request.get().exchange().expectBody(Map.class).returnResult();
            int status = result.getStatus().value();
            boolean retryAfter = result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER) != null;
            answers.add(new Answer(askedIn, phase, tenant.orgId(), operation, status, retryAfter, System.nanoTime(),
                    (System.nanoTime() - asked) / 1_000_000,
                    status >= 500 ? String.valueOf(result.getResponseBody()) : ""));
            return result;
        } catch (RuntimeException unanswered) {
            answers.add(new Answer(askedIn, phase, tenant.orgId(), operation, -1, false, System.nanoTime(), (System.nanoTime() - asked) / 1_000_000,
                    unanswered.toString()));
            return null;
        }
    }

    private WebTestClient client(String token) {
        return api.withToken(token).mutate().responseTimeout(ANSWER_WITHIN).build();
    }

    // ------------------------------------------------------------------ set-up

    @SuppressWarnings("unchecked")
    private static Tenant newTenant(Api api, DevTokens tokens, int seats) {
        String orgId = Api.newOrgId();
        String managerId = "manager-" + UUID.randomUUID();
        WebTestClient manager = api.withToken(tokens.issue(managerId, orgId, managerId + "@load.example", List.of()))
                .mutate().responseTimeout(ANSWER_WITHIN).build();
        manager.post().uri("/api/v1/orgs").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "Load " + orgId))
                .exchange().expectStatus().isCreated();
        Map<String, Object> pool = manager.post().uri("/api/v1/orgs/{org}/seat-pools", orgId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "subscription", "seats", seats, "interval", "month", "pricing", Map.of("currency", "eur",
                        "tiersMode", "volume", "tiers", List.of(Map.of("unitAmount", 1500, "flatAmount", 0)))))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String poolId = (String) pool.get("poolId");
        Acknowledged acknowledged = Acknowledged.none();
        List<Holder> anchors = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String email = "anchor-" + UUID.randomUUID() + "@load.example";
            Map<String, Object> seat = manager.post().uri("/api/v1/orgs/{org}/seat-pools/{pool}/seats", orgId, poolId)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("email", email))
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            String seatId = (String) seat.get("seatId");
            String token = (String) ((Map<String, Object>) seat.get("invitation")).get("token");
            String userId = "anchor-" + seatId;
            api.withToken(tokens.issue(userId, orgId, email, List.of())).post().uri("/api/v1/invitations/{token}/claim", token)
                    .exchange().expectStatus().isOk();
            acknowledged.assigned().add(seatId);
            acknowledged.claimed().add(seatId);
            anchors.add(new Holder(userId, seatId));
        }
        return new Tenant(orgId, poolId, manager, List.copyOf(anchors), acknowledged);
    }
}
