package dev.quartet.evidence.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.KeyFiles;
import dev.quartet.evidence.domain.note.NoteSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evidence key is read from the same PKCS#8 PEM files `quartet keys generate` writes. */
class EvidenceKeyFactoryTest {
  @TempDir
  Path dir;

  @Test
  void readsAKeyFileAsANoteSignerWithTheSamePublicKey() throws Exception {
    AdminKeyPair pair = AdminKeyPair.generate(new SecureRandom());
    KeyFiles.writeNew(pair, dir.resolve("evidence"));
    NoteSigner signer = EvidenceKeyFactory.read(dir.resolve("evidence.key"), "quartet.example/evidence");
    assertArrayEquals(pair.publicKey().raw(), signer.verifier().publicKey());
    assertEquals("quartet.example/evidence", signer.name());
  }

  @Test
  void refusesAFileThatIsNotAnEd25519PrivateKeyWithoutQuotingIt() throws Exception {
    AdminKeyPair pair = AdminKeyPair.generate(new SecureRandom());
    KeyFiles.writeNew(pair, dir.resolve("evidence"));
    Path pub = dir.resolve("evidence.pub");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EvidenceKeyFactory.read(pub, "quartet.example/evidence"));
    assertFalse(e.getMessage().contains(Files.readString(pub).lines().skip(1).findFirst().orElseThrow()),
        "message must not quote the file: " + e.getMessage());
  }
}
