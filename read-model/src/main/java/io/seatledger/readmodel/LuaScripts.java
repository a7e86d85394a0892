package io.seatledger.readmodel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The text of a Redis Lua script on the classpath, read once. (A script given to Spring as a resource is
 * checked for modification on every call, which inside a jar costs a file lookup and an exception each time.)
 */
public final class LuaScripts {

    private LuaScripts() {
    }

    public static String text(String classpathLocation) {
        try (InputStream script = LuaScripts.class.getClassLoader().getResourceAsStream(classpathLocation)) {
            if (script == null) {
                throw new IllegalStateException("no Lua script at classpath:" + classpathLocation);
            }
            return new String(script.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
