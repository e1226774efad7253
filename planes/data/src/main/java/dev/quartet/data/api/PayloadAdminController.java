package dev.quartet.data.api;

import dev.quartet.data.PayloadKeyRotation;
import dev.quartet.data.PayloadQuarantine;
import dev.quartet.data.config.QuarantineSettings;
import dev.quartet.runtime.InvalidRequestException;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import java.util.List;
import java.util.Map;
import dev.quartet.data.domain.Classification;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

/**
 * Data administration (role DATA_ADMIN, checked by the plane itself):
 * {@code POST /v1/payloads/keys/{classification}/rotate} rotates a key-encryption key and re-wraps
 * the data keys of existing payloads; {@code GET /v1/payloads/quarantine} lists the payloads held
 * in quarantine; {@code POST /v1/payloads/quarantine/{id}/release} releases one.
 */
@Controller("/v1/payloads")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PayloadAdminController {
  private final PayloadKeyRotation rotation;
  private final PayloadQuarantine quarantine;
  private final QuarantineSettings settings;

  PayloadAdminController(PayloadKeyRotation rotation, PayloadQuarantine quarantine, QuarantineSettings settings) {
    this.rotation = rotation;
    this.quarantine = quarantine;
    this.settings = settings;
  }

  /** The payloads held in quarantine, oldest first, at most {@code limit} (default and cap: the configured maximum). */
  @Get(value = "/quarantine{?limit}", produces = MediaType.APPLICATION_JSON)
  public Map<String, List<QuarantinedPayloadView>> quarantined(Authentication who, @Nullable @QueryValue Integer limit) {
    if (limit != null && (limit < 1 || limit > settings.maxListed())) {
      throw new InvalidRequestException("limit must be between 1 and " + settings.maxListed());
    }
    List<QuarantinedPayloadView> held = quarantine.list(PayloadController.caller(who, null), limit == null ? settings.maxListed() : limit)
        .stream().map(QuarantinedPayloadView::of).toList();
    return Map.of("payloads", held);
  }

  /** Releases payload {@code id} from quarantine; 200 with its reference. */
  @Post(value = "/quarantine/{id}/release", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  public PayloadReferenceView release(Authentication who, @PathVariable String id,
                                      @Nullable @Header(PayloadController.CORRELATION_HEADER) String correlationId) {
    return PayloadReferenceView.of(quarantine.release(PayloadController.caller(who, correlationId), PayloadController.payloadId(id)));
  }

  /** Rotates the KEK of {@code classification}; 200 with what was re-wrapped and retired. */
  @Post(value = "/keys/{classification}/rotate", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  public KeyRotationView rotate(Authentication who, @PathVariable String classification,
                                @Nullable @Header(PayloadController.CORRELATION_HEADER) String correlationId) {
    Classification c = PayloadController.valid(() -> Classification.parse(classification));
    return KeyRotationView.of(rotation.rotate(PayloadController.caller(who, correlationId), c));
  }
}
