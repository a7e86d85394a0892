package io.seatledger.projections.positions;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A token store that also records, in {@code read_model.processed_positions}, how far each segment has got:
 * in the same transaction as the token itself, so the recorded position is exactly what the read model
 * holds. Everything else is the wrapped store's.
 */
public class PositionRecordingTokenStore implements TokenStore {

    private final TokenStore tokens;
    private final JdbcTemplate jdbc;

    public PositionRecordingTokenStore(TokenStore tokens, JdbcTemplate jdbc) {
        this.tokens = tokens;
        this.jdbc = jdbc;
    }

    /** The store this one records positions for. */
    public TokenStore recording() {
        return tokens;
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) throws UnableToClaimTokenException {
        tokens.storeToken(token, processorName, segment);
        record(token, processorName, segment);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) throws UnableToClaimTokenException {
        initializeTokenSegments(processorName, segmentCount, null);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken) throws UnableToClaimTokenException {
        tokens.initializeTokenSegments(processorName, segmentCount, initialToken);
        for (int segment = 0; segment < segmentCount; segment++) {
            record(initialToken, processorName, segment);
        }
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment) {
        tokens.initializeSegment(token, processorName, segment);
        record(token, processorName, segment);
    }

    @Override
    public void deleteToken(String processorName, int segment) throws UnableToClaimTokenException {
        tokens.deleteToken(processorName, segment);
        jdbc.update("delete from read_model.processed_positions where processor = ? and segment = ?", processorName, segment);
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) throws UnableToClaimTokenException {
        return tokens.fetchToken(processorName, segment);
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) throws UnableToClaimTokenException {
        return tokens.fetchToken(processorName, segment);
    }

    @Override
    public void extendClaim(String processorName, int segment) throws UnableToClaimTokenException {
        tokens.extendClaim(processorName, segment);
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        tokens.releaseClaim(processorName, segment);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return tokens.requiresExplicitSegmentInitialization();
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return tokens.fetchSegments(processorName);
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return tokens.fetchAvailableSegments(processorName);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() {
        return tokens.retrieveStorageIdentifier();
    }

    private void record(TrackingToken token, String processorName, int segment) {
        jdbc.update("""
                insert into read_model.processed_positions (processor, segment, position, complete_to, gaps, updated_at)
                values (?, ?, ?, ?, ?::bigint[], now())
                on conflict (processor, segment) do update set position = excluded.position, complete_to = excluded.complete_to,
                    gaps = excluded.gaps, updated_at = excluded.updated_at""",
                processorName, segment, position(token), completeTo(token), gaps(token));
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    /** The token's gaps, as a PostgreSQL array literal. */
    private static String gaps(TrackingToken token) {
        TrackingToken current = token == null ? null : WrappedToken.unwrapLowerBound(token);
        if (current instanceof GapAwareTrackingToken gapAware && gapAware.hasGaps()) {
            return gapAware.getGaps().stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
        }
        return "{}";
    }

    /** The highest position up to which every event has been processed: below the lowest gap, if any. */
    private static long completeTo(TrackingToken token) {
        TrackingToken current = token == null ? null : WrappedToken.unwrapLowerBound(token);
        if (current instanceof GapAwareTrackingToken gapAware && gapAware.hasGaps()) {
            return gapAware.getGaps().first() - 1;
        }
        return position(current);
    }
}
