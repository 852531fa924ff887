/**
 * The JSON HTTP API under {@code /api/v1} (documented in {@code docs/http-api.md}): one
 * servlet, a route table, and one class per area (auth, me, social, admin, conversations).
 * Handlers parse, call {@link dev.parley.accounts.AccountService} or
 * {@link dev.parley.core.ChatEngine}, and encode; they hold no chat or account rule. Not API:
 * anything here may change in any release.
 */
package dev.parley.server.internal.api;
