package dev.parley.accounts;

/**
 * A started two-factor enrolment.
 *
 * @param secret     Base32 secret for manual entry
 * @param otpauthUri URI for authenticator apps (QR code)
 */
public record TotpEnrollment(String secret, String otpauthUri) {
}
