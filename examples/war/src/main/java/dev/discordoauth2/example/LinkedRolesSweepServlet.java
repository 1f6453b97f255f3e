package dev.discordoauth2.example;

import dev.discordoauth2.servlet.DiscordAuth;
import dev.discordoauth2.web.LinkedRoles;
import dev.discordoauth2.web.LinkedRolesSweep;
import dev.discordoauth2.web.OfflineAccess;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code /linked-roles/sweep}, for the role {@code admin}: pushes every stored user's connection again without them
 * ({@link LinkedRoles#sweep()}), e.g. after the platform's data changed in bulk, and shows how far the last sweep of
 * this node is. A sweep needs the shared token store ({@code discord.token-store=jdbc}, as the cluster script runs);
 * without it the page says so. A GET shows, a same-origin POST with {@code action=start} or {@code stop} acts, then
 * redirects to the GET. Behind the login filter. Thread-safe.
 */
@WebServlet("/linked-roles/sweep")
public class LinkedRolesSweepServlet extends HttpServlet {
    static final String ROLE = "admin";

    @Inject
    LinkedRoles linkedRoles;

    private final AtomicReference<LinkedRolesSweep> last = new AtomicReference<>();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (refused(request, response)) {
            return;
        }
        OfflineAccess offline = DiscordAuth.offline(getServletContext());
        if (!offline.available()) {
            Page.render(request, response, "Linked roles sweep", """
                    <section class="card"><h1>Linked roles sweep</h1><p id="sweep-unavailable">A sweep pushes every
                    stored user's connection again, without them. It needs the shared token store:
                    <code>discord.token-store=jdbc</code> (the cluster script runs with it).</p></section>""");
            return;
        }
        LinkedRolesSweep sweep = last.get();
        String state = sweep == null ? "<p id=\"sweep-state\">No sweep has run on this node.</p>"
                : describe(sweep.progress());
        boolean running = sweep != null && !sweep.progress().finished();
        Page.render(request, response, "Linked roles sweep", """
                <section class="card"><h1>Linked roles sweep</h1>%s
                <form method="post"><button name="action" value="%s" id="sweep-%s">%s</button></form>
                </section>""".formatted(state, running ? "stop" : "start", running ? "stop" : "start",
                running ? "Stop the sweep" : "Push everyone's connection again"));
    }

    static String describe(LinkedRolesSweep.Progress p) {
        return ("<p id=\"sweep-state\" data-finished=\"%s\">%s: %d pushed, %d with nothing to push, %d not connected, "
                + "%d whose grant has ended, %d failed.</p>").formatted(p.finished(),
                p.finished() ? (p.stopped() ? "Stopped" : "Done") : "Running", p.pushed(), p.nothingToPush(),
                p.notConnected(), p.grantEnded(), p.failed());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (refused(request, response)) {
            return;
        }
        if (!DiscordAuth.isSameOrigin(request)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Cross-site form posts are refused.");
            return;
        }
        String action = request.getParameter("action");
        if ("start".equals(action) && DiscordAuth.offline(getServletContext()).available()) {
            LinkedRolesSweep current = last.get();
            if (current == null || current.progress().finished()) {
                last.set(linkedRoles.sweep());
            }
        } else if ("stop".equals(action) && last.get() != null) {
            last.get().stop();
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/linked-roles/sweep");
    }

    private static boolean refused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.isUserInRole(ROLE)) {
            return false;
        }
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        Page.render(request, response, "Admins only", """
                <section class="card"><h1 id="forbidden">Admins only</h1><p>A sweep is for the application's
                admins (<code>discord.roles</code>).</p></section>""");
        return true;
    }
}
