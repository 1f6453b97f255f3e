/** Test apps for PayaraFailClosedIT: Jakarta Security mechanisms that cannot work, one per WAR. */
package dev.discordoauth2.security.failing;
