package dev.quartet.control.api;

import io.micronaut.serde.annotation.Serdeable;

/** The answer to an accepted publish: the new head of the scope. */
@Serdeable
public record PublishedView(String scope, long version, String digest) {}
