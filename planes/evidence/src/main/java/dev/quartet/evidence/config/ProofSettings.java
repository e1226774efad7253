package dev.quartet.evidence.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Bounds of proof generation: a proof reads the partition's leaf hashes from PostgreSQL (O(n)
 * for now), so concurrent proofs and the rows held in memory per proof are capped.
 *
 * @param maxConcurrent proofs generated at once; more get 429
 * @param leafBlock leaf hashes read per query, and held in memory per proof
 */
@ConfigurationProperties("quartet.evidence.proof")
public record ProofSettings(@Min(1) @Max(64) int maxConcurrent,
                            @Min(16) @Max(1_000_000) int leafBlock) {}
