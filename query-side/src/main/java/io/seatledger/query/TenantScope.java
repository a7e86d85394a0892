package io.seatledger.query;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.function.Function;

/**
 * Runs read-model queries for one organization: each in a read-only transaction that first names the
 * tenant ({@code seatledger.org_id}, transaction-local) and takes the reader role ({@value #ROLE}), whose
 * rows PostgreSQL's row-level security limits to that tenant: a second line behind the {@code org_id}
 * conditions every query has anyway.
 */
@Component
public class TenantScope {

    public static final String SETTING = "seatledger.org_id";
    public static final String ROLE = "seatledger_reader";

    private final DatabaseClient database;
    private final TransactionalOperator transactions;

    public TenantScope(DatabaseClient database, TransactionalOperator transactions) {
        this.database = database;
        this.transactions = transactions;
    }

    public <T> Flux<T> many(String orgId, Function<DatabaseClient, Flux<T>> query) {
        return database.sql("select set_config('" + SETTING + "', :org, true)").bind("org", orgId).then()
                .then(database.sql("set local role " + ROLE).then())
                .thenMany(Flux.defer(() -> query.apply(database)))
                .as(transactions::transactional);
    }

    public <T> Mono<T> one(String orgId, Function<DatabaseClient, Mono<T>> query) {
        return many(orgId, database -> query.apply(database).flux()).singleOrEmpty();
    }
}
