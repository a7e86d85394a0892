package io.seatledger.client;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The event-stream format as the WHATWG specification has it, including the corners a naive parser gets wrong. */
class SseReaderTest {

    @Test
    void multiLineDataIsJoinedWithNewlinesAndTheTypeAndIdAreTaken() throws IOException {
        List<SseReader.Message> messages = read("id: 7\nevent: seat.claimed\ndata: {\"a\":\ndata: 1}\n\n");

        assertThat(messages).containsExactly(new SseReader.Message("7", "seat.claimed", "{\"a\":\n1}", null));
    }

    @Test
    void commentsArriveOnTheirOwnWithoutBreakingTheMessageAroundThem() throws IOException {
        List<SseReader.Message> messages = read(": heartbeat\nid: 1\ndata: x\n:inside\ndata: y\n\n");

        assertThat(messages).containsExactly(
                new SseReader.Message(null, null, null, "heartbeat"),
                new SseReader.Message(null, null, null, "inside"),
                new SseReader.Message("1", "message", "x\ny", null));
    }

    @Test
    void theIdIsKeptAcrossMessagesAndOnlyTakenWhenAMessageEnds() throws IOException {
        SseReader reader = reader("id: 3\ndata: a\n\ndata: b\n\nid: 4\ndata: unfinished");

        assertThat(reader.next()).isEqualTo(new SseReader.Message("3", "message", "a", null));
        assertThat(reader.next()).as("a message without id keeps the last one").isEqualTo(new SseReader.Message("3", "message", "b", null));
        assertThat(reader.next()).as("an unfinished message at the end is dropped").isNull();
        assertThat(reader.lastEventId()).as("its id is not taken either").isEqualTo("3");
    }

    @Test
    void anIdWithoutDataStillMovesTheLastIdButDispatchesNothing() throws IOException {
        SseReader reader = reader("id: 9\n\nevent: ignored\n\n");

        assertThat(reader.next()).isNull();
        assertThat(reader.lastEventId()).isEqualTo("9");
    }

    @Test
    void anIdHoldingNulIsIgnoredAndTheResumedIdIsTheStart() throws IOException {
        SseReader reader = new SseReader(new BufferedReader(new StringReader("id: 1\u00002\ndata: x\n\n")), "41");

        assertThat(reader.next()).isEqualTo(new SseReader.Message("41", "message", "x", null));
    }

    @Test
    void retryIsReadWhenItIsDigitsOnlyAndUnknownFieldsAreIgnored() throws IOException {
        SseReader reader = reader("retry: 2500\nretry: soon\nfoo: bar\ndata\n\n");

        assertThat(reader.next()).as("a field without colon has an empty value").isEqualTo(new SseReader.Message(null, "message", "", null));
        assertThat(reader.retryMillis()).isEqualTo(2500);
    }

    @Test
    void onlyOneLeadingSpaceIsStrippedAndCrLfAndCrEndLines() throws IOException {
        List<SseReader.Message> messages = read("data:  two spaces\r\n\r\ndata:none\r\rdata: z\n\n");

        assertThat(messages).extracting(SseReader.Message::data).containsExactly(" two spaces", "none", "z");
    }

    @Test
    void anEventTypeDoesNotLeakIntoTheNextMessage() throws IOException {
        List<SseReader.Message> messages = read("event: seat.revoked\ndata: 1\n\ndata: 2\n\n");

        assertThat(messages).extracting(SseReader.Message::type).containsExactly("seat.revoked", "message");
    }

    /** Only what begins the next message counts as arrived, not the line ends that close the last one. */
    @Test
    void theNextMessageHasArrivedOnlyWhenMoreThanLineEndsAreBuffered() throws IOException {
        java.io.PipedWriter writer = new java.io.PipedWriter();
        SseReader reader = new SseReader(new BufferedReader(new java.io.PipedReader(writer, 1024)), null);
        writer.write(": lag 5\r\n\r\n");
        assertThat(reader.nextHasArrived()).isTrue();
        assertThat(reader.next()).isEqualTo(new SseReader.Message(null, null, null, "lag 5"));
        assertThat(reader.nextHasArrived()).as("only the blank line after the comment").isFalse();
        writer.write("id: 2\ndata: x\n\n: heartbeat\n\n");
        assertThat(reader.nextHasArrived()).isTrue();
        assertThat(reader.next()).isEqualTo(new SseReader.Message("2", "message", "x", null));
        assertThat(reader.nextHasArrived()).as("the heartbeat after the message").isTrue();
        assertThat(reader.next()).isEqualTo(new SseReader.Message("2", null, null, "heartbeat"));
        assertThat(reader.nextHasArrived()).isFalse();
    }

    private static List<SseReader.Message> read(String text) throws IOException {
        SseReader reader = reader(text);
        List<SseReader.Message> messages = new ArrayList<>();
        SseReader.Message message;
        while ((message = reader.next()) != null) {
            messages.add(message);
        }
        return messages;
    }

    private static SseReader reader(String text) {
        return new SseReader(new BufferedReader(new StringReader(text)), null);
    }
}
