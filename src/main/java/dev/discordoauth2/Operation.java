package dev.discordoauth2;

import java.util.Objects;
import java.util.function.Function;

/**
 * One call of the public API as data: the request, the client (or view) whose timeouts it runs under, what its answer
 * becomes, and what a 401 answer runs first. The blocking calls {@link #run()} it on the caller's thread; the async
 * client runs the same thing through {@link AsyncCall}, so both share one core. Immutable.
 */
final class Operation<T> {
    private static final System.Logger LOG = System.getLogger(DiscordOAuth2Client.class.getName());

    private final DiscordOAuth2Client client;
    private final ApiCall call;
    private final Function<Transport.Answer, T> result;
    /** Run when the call is answered 401; {@code null} for none. */
    private final Runnable onUnauthorized;
    /** Turns some error answers into results (it answers {@code null} for the others); {@code null} for none. */
    private final Function<HttpException, T> recover;

    private Operation(DiscordOAuth2Client client, ApiCall call, Function<Transport.Answer, T> result,
            Runnable onUnauthorized, Function<HttpException, T> recover) {
        this.client = Objects.requireNonNull(client);
        this.call = Objects.requireNonNull(call);
        this.result = Objects.requireNonNull(result);
        this.onUnauthorized = onUnauthorized;
        this.recover = recover;
    }

    Operation(DiscordOAuth2Client client, ApiCall call, Function<Transport.Answer, T> result,
            Runnable onUnauthorized) {
        this(client, call, result, onUnauthorized, null);
    }

    Operation(DiscordOAuth2Client client, ApiCall call, Function<Transport.Answer, T> result) {
        this(client, call, result, null, null);
    }

    /**
     * A call whose error answers may be results: those {@code recover} maps to a value (the device grant's
     * {@code authorization_pending}...) are returned as if answered so; for the others it answers {@code null} and
     * they are thrown as usual.
     */
    static <T> Operation<T> recovering(DiscordOAuth2Client client, ApiCall call, Function<Transport.Answer, T> result,
            Function<HttpException, T> recover) {
        return new Operation<>(client, call, result, null, Objects.requireNonNull(recover));
    }

    /** Sends the call and maps its answer on this thread: what every blocking method does. */
    T run() {
        Transport.Answer answer;
        try {
            answer = client.send(call);
        } catch (RuntimeException e) {
            T recovered = recovered(e);
            if (recovered != null) {
                return recovered;
            }
            failed(e);
            throw e;
        }
        return result(answer);
    }

    /** The result an error answer stands for, or {@code null} when it is an error to throw. */
    T recovered(RuntimeException e) {
        return recover != null && e instanceof HttpException answered ? recover.apply(answered) : null;
    }

    /** A new run of the call through the client's transport, for the caller to drive ({@link AsyncCall}). */
    Transport.Exchange exchange() {
        return client.exchange(call);
    }

    T result(Transport.Answer answer) {
        return result.apply(answer);
    }

    /** What the call ended with, before it is thrown: a 401 runs {@link #onUnauthorized} (once). */
    void failed(RuntimeException e) {
        if (onUnauthorized != null && e instanceof ForbiddenException forbidden && forbidden.status() == 401) {
            try {
                onUnauthorized.run();
            } catch (RuntimeException callbackFailure) {
                // the application's own failure (a session store down...): one line, its trace only on DEBUG
                LOG.log(System.Logger.Level.WARNING, () -> call.route() + ": answered 401, and the "
                        + "onUnauthorized callback failed: " + callbackFailure);
                LOG.log(System.Logger.Level.DEBUG, "the onUnauthorized callback's failure", callbackFailure);
            }
        }
    }
}
