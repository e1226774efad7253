package dev.quartet.data.api;

import dev.quartet.data.SignedUrls;
import dev.quartet.data.config.SignedUrlSettings;
import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.Routes;
import dev.quartet.data.domain.Sha256;
import dev.quartet.data.domain.Tenants;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.server.util.HttpHostResolver;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.time.Duration;

/**
 * Issues signed URLs: {@code POST /v1/payloads/{id}/urls} (caller may read the payload) answers a
 * URL reading it; {@code POST /v1/payloads/upload-slots} (caller may write the classification)
 * answers a URL taking one upload. Both 201 with {@link SignedUrlView}.
 */
@Controller("/v1/payloads")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PayloadUrlController {
  private final SignedUrls urls;
  private final SignedUrlSettings settings;
  private final HttpHostResolver hosts;

  PayloadUrlController(SignedUrls urls, SignedUrlSettings settings, HttpHostResolver hosts) {
    this.urls = urls;
    this.settings = settings;
    this.hosts = hosts;
  }

  /** A time-limited URL reading payload {@code id} without a token. */
  @Post(value = "/{id}/urls", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<SignedUrlView> readUrl(Authentication who, HttpRequest<?> request, @PathVariable String id,
                                             @Nullable @Header(PayloadController.CORRELATION_HEADER) String correlationId,
                                             @Nullable @Body SignedUrlRequests.ReadUrl body) {
    Duration ttl = ttl(body == null ? null : body.ttlSeconds());
    SignedUrls.IssuedUrl u = urls.issueRead(PayloadController.caller(who, correlationId), PayloadController.payloadId(id), ttl);
    return HttpResponse.status(HttpStatus.CREATED).body(SignedUrlView.of(u, base(request)));
  }

  /** A time-limited URL taking one upload of the named classification without a token. */
  @Post(value = "/upload-slots", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<SignedUrlView> uploadSlot(Authentication who, HttpRequest<?> request,
                                                @Nullable @Header(PayloadController.CORRELATION_HEADER) String correlationId,
                                                @Body SignedUrlRequests.UploadSlot body) {
    Classification c = PayloadController.valid(() -> Classification.parse(body.classification()));
    Sha256 sha = body.sha256() == null ? null : PayloadController.valid(() -> Sha256.parse(body.sha256()));
    String tenant = PayloadController.valid(() -> Tenants.requireValidOrNull(body.tenant()));
    if (body.route() != null) {
      PayloadController.valid(() -> Routes.requireValid(body.route()));
    }
    SignedUrls.IssuedUrl u = urls.issueSlot(PayloadController.caller(who, correlationId), c, body.route(), tenant, sha,
        body.maxBytes(), ttl(body.ttlSeconds()));
    return HttpResponse.status(HttpStatus.CREATED).body(SignedUrlView.of(u, base(request)));
  }

  private static Duration ttl(Long seconds) {
    return seconds == null ? null : Duration.ofSeconds(seconds);
  }

  private String base(HttpRequest<?> request) {
    return settings.publicBaseUrl() != null && !settings.publicBaseUrl().isBlank() ? settings.publicBaseUrl() : hosts.resolve(request);
  }
}
