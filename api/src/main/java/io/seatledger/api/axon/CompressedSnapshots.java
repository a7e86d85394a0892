package io.seatledger.api.axon;

import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.jackson3.Jackson3Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Snapshots of aggregates, stored gzip-compressed and streamed through Jackson both ways. A 100,000-seat pool is
 * ~30 MB of JSON: uncompressed, writing it buffered it whole (twice, while growing) and reading it decoded it
 * from hex into a second copy, peaks of over 100 MB that a small heap could not take beside the pool itself.
 * Compressed it is a few MB, and neither direction holds the JSON whole. Everything else (the snapshot's
 * metadata) is the general serializer's, and so is reading anything not gzip-compressed.
 */
public final class CompressedSnapshots implements Serializer {

    private static final int GZIP_MAGIC_FIRST = 0x1f;
    private static final int GZIP_MAGIC_SECOND = 0x8b;

    private final Jackson3Serializer general;

    public CompressedSnapshots(Jackson3Serializer general) {
        this.general = general;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        if (object == null || expectedRepresentation != byte[].class || !isAggregate(object)) {
            return general.serialize(object, expectedRepresentation);
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(1 << 16);
        try (OutputStream out = new FastGzip(compressed)) {
            general.getObjectMapper().writeValue(out, object);
        } catch (IOException | RuntimeException failure) {
            throw new SerializationException("could not write the snapshot of a " + object.getClass().getSimpleName(), failure);
        }
        return (SerializedObject<T>) new SimpleSerializedObject<>(compressed.toByteArray(), byte[].class, typeForClass(object.getClass()));
    }

    /** The fastest level: at the default one, compressing took most of the time of writing a large pool's snapshot. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serialized) {
        if (!(serialized.getData() instanceof byte[] data) || !isCompressed(data)) {
            return general.deserialize(serialized);
        }
        Class<?> type = classForType(serialized.getType());
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 1 << 16)) {
            @SuppressWarnings("unchecked") T value = (T) general.getObjectMapper().readValue(in, type);
            return value;
        } catch (IOException | RuntimeException failure) {
            throw new SerializationException("could not read a snapshot of a " + type.getSimpleName(), failure);
        }
    }

    /** Aggregates are ours; Axon's own types (metadata) and JDK values go to the general serializer. */
    private static boolean isAggregate(Object object) {
        return object.getClass().getName().startsWith("io.seatledger.");
    }

    private static boolean isCompressed(byte[] data) {
        return data.length > 2 && (data[0] & 0xff) == GZIP_MAGIC_FIRST && (data[1] & 0xff) == GZIP_MAGIC_SECOND;
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return general.canSerializeTo(expectedRepresentation);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        return general.classForType(type);
    }

    @Override
    public SerializedType typeForClass(Class type) {
        return general.typeForClass(type);
    }

    @Override
    public Converter getConverter() {
        return general.getConverter();
    }
}
