package dev.discordoauth2.emulator;

/** Thrown for a route name ({@code "METHOD /template"}) that no emulated route has. Immutable. */
final class UnknownRouteException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnknownRouteException(String message) {
        super(message);
    }
}
