package dev.discordoauth2.web;

/**
 * A request's login after the checks: the session's principal (null when nobody is logged in) and its tokens'
 * outcome ({@link TokenOutcome#LOGGED_OUT} without a principal). Computed once per request. Immutable.
 */
record RequestLogin(DiscordPrincipal principal, TokenOutcome outcome) {
    static final RequestLogin NONE = new RequestLogin(null, TokenOutcome.LOGGED_OUT);

    /** Whether the login holds (its tokens are valid, or kept while Discord does not answer). */
    boolean loggedIn() {
        return principal != null;
    }
}
