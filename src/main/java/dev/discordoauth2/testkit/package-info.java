/**
 * The test kit: {@link dev.discordoauth2.testkit.DiscordEmulatorExtension} (one Discord emulator per JUnit 5 test
 * class), {@link dev.discordoauth2.testkit.NextLogins} ("the next login is user X"),
 * {@link dev.discordoauth2.testkit.TestBrowser} (an HTTP browser with a cookie jar),
 * {@link dev.discordoauth2.testkit.DiscordTestLogin} (a logged-in user in a session or on a request) and the servlet
 * fakes {@link dev.discordoauth2.testkit.TestRequest}, {@link dev.discordoauth2.testkit.TestResponse},
 * {@link dev.discordoauth2.testkit.TestSession}. Shipped with {@code dev.discordoauth2.emulator} in the
 * {@code testkit} classifier jar, for test scope; never in the jar applications deploy.
 */
package dev.discordoauth2.testkit;
