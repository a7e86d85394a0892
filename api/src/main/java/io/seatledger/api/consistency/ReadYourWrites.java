package io.seatledger.api.consistency;

import io.seatledger.api.http.ApiExceptionHandler;
import io.seatledger.api.http.InvalidRequest;
import io.seatledger.api.http.Positions;
import io.seatledger.api.http.Problem;
import io.seatledger.api.security.CallerAuthentication;
import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.SeatLedgerException;
import io.seatledger.projections.audit.AuditTrailProjection;
import io.seatledger.projections.counters.RedisCounterProjection;
import io.seatledger.projections.organization.OrganizationProjection;
import io.seatledger.projections.positions.ReadModelWaits;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import io.seatledger.query.ReadSource;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads that name a position ({@code ?minPosition=} or the {@link Positions#HEADER} header, the value a
 * command's answer carried) wait until the processors behind their read model have applied every stored event up
 * to it, at most {@code seatledger.consistency.max-wait}; then 503 {@code UNAVAILABLE} with {@code Retry-After}.
 * A position is a whole number from 0 to the newest stored event's: anything else is 400 {@code VALIDATION_FAILED}
 * at once (a position the service never handed out would only make the read wait in vain). Runs after
 * authentication and rate limits; a path naming another tenant's organization does not wait (it is 404 anyway).
 */
@Component
@Order(10)
public class ReadYourWrites implements WebFilter {

    public static final String PARAMETER = "minPosition";
    private static final Pattern POSITION = Pattern.compile("\\d{1,18}");
    private static final Pattern ORGANIZATION_PATH = Pattern.compile("^/api/v1/orgs/([^/]+)(/[^/]+)?(/[^/]+)?(/[^/]+)?.*$");

    private static final Set<String> SEATS = Set.of(SeatPoolProjection.PROCESSOR);
    private static final Set<String> HISTORY = Set.of(SeatPoolProjection.PROCESSOR, AuditTrailProjection.PROCESSOR);
    private static final Set<String> COUNTS = Set.of(SeatPoolProjection.PROCESSOR, RedisCounterProjection.PROCESSOR);
    private static final Set<String> AUDIT = Set.of(AuditTrailProjection.PROCESSOR, OrganizationProjection.PROCESSOR);
    private static final Set<String> ORGANIZATION = Set.of(OrganizationProjection.PROCESSOR);
    private static final Set<String> INVITATION = Set.of(SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR);
    /** Charges are written by the seat-pools processor; who may read them is the organization's (its billing manager). */
    private static final Set<String> CHARGES = Set.of(SeatPoolProjection.PROCESSOR, OrganizationProjection.PROCESSOR);

    private final ReadModelWaits waits;
    private final CommandPositions positions;
    private final ConsistencyProperties consistency;
    private final ApiExceptionHandler failures;
    /** The highest head seen: a position at or below it needs no look at the event store. */
    private final AtomicLong knownHead = new AtomicLong(-1);

    public ReadYourWrites(ReadModelWaits waits, CommandPositions positions, ConsistencyProperties consistency, ApiExceptionHandler failures) {
        this.waits = waits;
        this.positions = positions;
        this.consistency = consistency;
        this.failures = failures;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isRead(exchange)) {
            return chain.filter(exchange);
        }
        String parameter = exchange.getRequest().getQueryParams().getFirst(PARAMETER);
        String header = exchange.getRequest().getHeaders().getFirst(Positions.HEADER);
        if (parameter == null && header == null) {
            return chain.filter(exchange);
        }
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        return readModelOf(exchange, path)
                .flatMap(readModel -> {
                    long position = Math.max(parse(PARAMETER, parameter), parse(Positions.HEADER, header));
                    return stored(position).then(Mono.defer(() -> awaitApplied(readModel, position)));
                })
                .defaultIfEmpty(Source.ANY)
                // only this filter's own refusals are answered here; what the read itself does is the handlers' business
                .onErrorResume(refused -> failures.handle(exchange, refused).thenReturn(Source.NONE))
                .flatMap(source -> switch (source) {
                    case ANY -> chain.filter(exchange);
                    case POSTGRES -> chain.filter(exchange).contextWrite(context -> context.put(ReadSource.POSTGRES_ONLY, true));
                    case NONE -> Mono.<Void>empty();
                });
    }

    /** Where a read that waited may be answered from. */
    private enum Source { ANY, POSTGRES, NONE }

    /**
     * Waits for the read model's processors. For counts, which Redis answers when its counters are complete and
     * PostgreSQL otherwise, PostgreSQL's read model having applied the position is enough: if the Redis counters have
     * not (Redis is down, or behind), the read is answered from PostgreSQL rather than held up.
     */
    private Mono<Source> awaitApplied(ReadModel readModel, long position) {
        Set<String> processors = readModel.processors();
        if (waits.seenApplied(processors, readModel.organization(), position)) {
            return Mono.just(Source.ANY);
        }
        CompletableFuture<Boolean> counters = processors.contains(RedisCounterProjection.PROCESSOR)
                ? waits.await(Set.of(RedisCounterProjection.PROCESSOR), readModel.organization(), position, consistency.maxWait()) : null;
        Set<String> others = counters == null ? processors : Set.of(SeatPoolProjection.PROCESSOR);
        return Mono.fromFuture(waits.await(others, readModel.organization(), position, consistency.maxWait()))
                .publishOn(Schedulers.parallel())
                .flatMap(applied -> {
                    if (!applied) {
                        if (counters != null) {
                            counters.complete(false);
                        }
                        return Mono.error(new SeatLedgerException(ErrorCode.UNAVAILABLE,
                                "the read model has not applied position " + position + " yet; read again shortly"));
                    }
                    if (counters == null || counters.getNow(false)) {
                        return Mono.just(Source.ANY);
                    }
                    counters.complete(false);
                    return Mono.just(Source.POSTGRES);
                });
    }

    /**
     * Whether an entitlement check of {@code orgId} at {@code position} (a header's value, as given) may be answered at once
     * from the counters: a well-formed position that their processors were already seen to have applied. Anything else
     * is this filter's to judge.
     */
    public boolean entitlementsReadableAt(String orgId, String position) {
        return POSITION.matcher(position).matches() && waits.seenApplied(COUNTS, orgId, Long.parseLong(position));
    }

    /** GETs, and the one POST that only reads (a resize's preview). */
    private static boolean isRead(ServerWebExchange exchange) {
        HttpMethod method = exchange.getRequest().getMethod();
        return method == HttpMethod.GET
                || method == HttpMethod.POST && exchange.getRequest().getPath().pathWithinApplication().value().endsWith("/resize-preview");
    }

    /** The processors behind a read, and the organization it reads (null: any). */
    private record ReadModel(Set<String> processors, String organization) {
    }

    /** The read model a path reads; empty for paths that read none, or another tenant's. */
    private Mono<ReadModel> readModelOf(ServerWebExchange exchange, String path) {
        if (path.startsWith("/api/v1/me/entitlements")) {
            return exchange.getPrincipal().filter(CallerAuthentication.class::isInstance)
                    .map(principal -> new ReadModel(COUNTS, ((CallerAuthentication) principal).caller().orgId()));
        }
        if (path.startsWith("/api/v1/invitations/")) {
            return Mono.just(new ReadModel(INVITATION, null));
        }
        Matcher organization = ORGANIZATION_PATH.matcher(path);
        if (!organization.matches()) {
            return Mono.empty();
        }
        Set<String> processors = processorsOf(organization.group(2), organization.group(4));
        if (processors == null) {
            return Mono.empty();
        }
        return exchange.getPrincipal()
                .filter(CallerAuthentication.class::isInstance)
                .filter(principal -> ((CallerAuthentication) principal).caller().mayRead(organization.group(1)))
                .map(principal -> new ReadModel(processors, organization.group(1)));
    }

    private static Set<String> processorsOf(String section, String detail) {
        if (section == null) {
            return ORGANIZATION;
        }
        return switch (section) {
            case "/seat-pools" -> "/history".equals(detail) ? HISTORY : "/charges".equals(detail) ? CHARGES : SEATS;
            case "/charges" -> CHARGES;
            case "/usage", "/entitlements" -> COUNTS;
            case "/audit" -> AUDIT;
            default -> null;
        };
    }

    /** A position as given, or -1 when not given; anything but a whole number of at most 18 digits is refused. */
    private static long parse(String name, String value) {
        if (value == null) {
            return -1;
        }
        if (!POSITION.matcher(value).matches()) {
            throw new InvalidRequest(name, "must be a global position: a whole number from 0 to the newest stored event's, as a change's "
                    + Positions.HEADER + " header gave it");
        }
        return Long.parseLong(value);
    }

    /** Refuses a position beyond the newest stored event: no answer ever carried it, and no read model will reach it by waiting. */
    private Mono<Void> stored(long position) {
        if (position <= knownHead.get()) {
            return Mono.empty();
        }
        return Mono.fromCallable(positions::head).subscribeOn(Schedulers.boundedElastic()).flatMap(head -> {
            knownHead.accumulateAndGet(head, Math::max);
            return position <= head ? Mono.empty() : Mono.error(new InvalidRequest(List.of(new Problem.FieldError(PARAMETER,
                    "is beyond the newest stored event (" + head + ")"))));
        });
    }
}
