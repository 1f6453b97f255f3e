package dev.discordoauth2.testkit;

import java.lang.reflect.Proxy;

/** Stand-ins that answer every method with the return type's default (null, false, 0), for the fakes' delegates. */
final class Fakes {
    private Fakes() {
    }

    static <T> T nothing(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "nothing(" + type.getSimpleName() + ")";
                    default -> defaultValue(method.getReturnType());
                }));
    }

    static Object defaultValue(Class<?> type) {
        if (!type.isPrimitive() || type == void.class) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return 0;
    }
}
