package dev.discordoauth2.model;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * Maps an optional nested wire object leniently: when the object Discord sent does not fit its record (a required
 * field missing, as in the {@code "user": {}} of Discord's documented guild member, a value of the wrong form, or not
 * an object at all), the property is left out ({@link Optional#empty()}) with one DEBUG line naming the object and
 * the field, instead of failing the whole answer. A body that is not JSON still fails.
 *
 * <p>Put on an {@code Optional<T>} record component with
 * {@code @JsonbTypeDeserializer(LenientOptional.Deserializer.class)}, where {@code T} is a wire record. Only optional
 * nested objects use it ({@link Guild.Member#user()}, {@link AuthorizationInfo#user()},
 * {@link User#avatarDecorationData()}): the object asked for, a required nested object and the elements of a list
 * stay strict. The deserializer is {@link Deserializer}, public only because JSON-B instantiates it, inside this
 * package-private class so that it is no public API. Stateless and thread-safe.
 */
final class LenientOptional {
    private static final System.Logger LOG = System.getLogger(LenientOptional.class.getName());

    private LenientOptional() {
    }

    /** The deserializer of {@link LenientOptional}. */
    public static final class Deserializer implements JsonbDeserializer<Optional<?>> {
        /** For JSON-B. */
        public Deserializer() {
        }

        @Override
        public Optional<?> deserialize(JsonParser parser, DeserializationContext context, Type type) {
            if (!(type instanceof ParameterizedType optional) || optional.getRawType() != Optional.class) {
                throw new JsonbException("LenientOptional maps Optional<T> only, not " + type);
            }
            Type element = optional.getActualTypeArguments()[0];
            try {
                return Optional.ofNullable(context.deserialize(element, parser));
            } catch (RuntimeException e) {
                if (cause(e, JsonException.class) != null) {
                    throw e; // the body is not JSON: that is the answer's fault, not the object's
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "Discord sent a nested " + name(element) + " that does not "
                        + "fit; it is left out (absent): " + reason(e));
                return Optional.empty();
            }
        }
    }

    private static String name(Type type) {
        return type instanceof Class<?> c ? c.getSimpleName() : type.getTypeName();
    }

    /** The record's own reason, which names the object and the field but no value; JSON-B's own may show a value. */
    private static String reason(RuntimeException e) {
        InvalidWireObjectException invalid = cause(e, InvalidWireObjectException.class);
        return invalid != null ? invalid.getMessage() : "not the expected JSON";
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
