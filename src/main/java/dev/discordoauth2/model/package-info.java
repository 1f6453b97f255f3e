/**
 * Discord's objects as immutable records, mapped from Discord's JSON with JSON-B: field names as in Discord's
 * documentation, snowflakes as {@code String}, unknown fields ignored, {@code Optional} for what may be absent or
 * null. A record refuses a missing required field with {@link dev.discordoauth2.model.InvalidWireObjectException};
 * an optional nested object that does not fit is left out instead ({@link dev.discordoauth2.model.LenientOptional}).
 * All types are immutable and thread-safe.
 */
package dev.discordoauth2.model;
