package dev.discordoauth2.web;

/** {@link LoginCore.SessionStore#CONTAINER}: the container's session of the request. Stateless and thread-safe. */
final class ContainerSessions implements LoginCore.SessionStore {
    static final ContainerSessions INSTANCE = new ContainerSessions();

    private ContainerSessions() {
    }

    @Override
    public LoginCore.Session session(LoginCore.Exchange request, boolean create) {
        return request.session(create);
    }

    @Override
    public LoginCore.Session renew(LoginCore.Exchange request) {
        return request.changeSessionId();
    }

    @Override
    public String toString() {
        return "SessionStore.CONTAINER";
    }
}
