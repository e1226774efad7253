package dev.quartet.evidence.api;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A checkpoint verifier key: its note key name and 8-hex note key ID, the C2SP vkey string, the
 * raw Ed25519 key (base64, as in trust roots) and its Quartet key id (SHA-256 hex).
 */
@Serdeable
public record NoteKeyView(String name, String noteKeyId, String vkey, String publicKey, String keyId) {}
