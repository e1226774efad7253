package dev.quartet.data.api;

import dev.quartet.contracts.ProblemType;
import dev.quartet.data.PayloadRetriever;
import dev.quartet.data.SignedUrls;
import dev.quartet.data.domain.Sha256;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.Tenants;
import dev.quartet.data.kafka.PayloadEvidence;
import dev.quartet.runtime.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * Signed URLs, honoured without a bearer token: the signature is the authorization.
 * {@code GET /v1/blobs/{id}?exp&sig} streams the verified (decrypted) plaintext;
 * {@code PUT /v1/blobs/slots/{slotId}?exp&sig} stores one upload. Any URL that does not grant
 * exactly that request answers 403.
 */
@Controller("/v1/blobs")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class BlobUrlController {
  /** Principal recorded on evidence of reads through a signed URL. */
  static final String SIGNED_URL_PRINCIPAL = "signed-url";
  private final SignedUrls urls;
  private final PayloadRetriever retriever;

  BlobUrlController(SignedUrls urls, PayloadRetriever retriever) {
    this.urls = urls;
    this.retriever = retriever;
  }

  /** Streams the payload a read URL grants. */
  @Get(value = "/{id}", produces = MediaType.APPLICATION_OCTET_STREAM, headRoute = false)
  public HttpResponse<StreamedFile> read(HttpRequest<?> request, @PathVariable String id) {
    StoredPayload p = urls.readable(id, request.getMethodName(), request.getUri().getRawPath(), request.getUri().getRawQuery());
    // The URL is its own authorization: evidence names the signed URL, not a principal.
    PayloadRetriever.PayloadContent c = retriever.open(p, new PayloadEvidence.Context(SIGNED_URL_PRINCIPAL,
        Tenants.evidenceTenant(p.tenant()), p.id().ref()));
    return PayloadController.described(HttpResponse.ok(new StreamedFile(c.content(), MediaType.APPLICATION_OCTET_STREAM_TYPE,
        p.storedAt().toEpochMilli(), p.size())), p);
  }

  /** Stores the body through an upload slot's URL; 201 with the payload's reference. */
  @Put(value = "/slots/{slotId}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<PayloadReferenceView> upload(HttpRequest<?> request, @PathVariable String slotId,
                                                   @Nullable @Header(PayloadController.SHA256_HEADER) String sha256,
                                                   @Nullable @Body InputStream body) {
    long declared = request.getHeaders().contentLength().orElse(-1);
    Sha256 header = sha256 == null ? null : PayloadController.valid(() -> Sha256.parse(sha256));
    // The server binds no body stream for an empty request (Content-Length: 0).
    try (InputStream in = body == null ? InputStream.nullInputStream() : body) {
      StoredPayload p = urls.upload(slotId, request.getMethodName(), request.getUri().getRawPath(),
          request.getUri().getRawQuery(), declared, header, in);
      return HttpResponse.<PayloadReferenceView>status(HttpStatus.CREATED)
          .headers(h -> h.location(URI.create("/v1/payloads/" + p.id())))
          .body(PayloadReferenceView.of(p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the upload body", e);
    }
  }

  /** A read URL never uploads. */
  @Put(value = "/{id}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<?> uploadToReadUrl(@PathVariable String id) {
    throw new ProblemException(ProblemType.FORBIDDEN, "a blob URL grants reading only; uploads go to an upload slot URL");
  }

  /** An upload slot's URL never reads. */
  @Get(value = "/slots/{slotId}", produces = MediaType.APPLICATION_JSON, headRoute = false)
  public HttpResponse<?> readFromSlot(@PathVariable String slotId) {
    throw new ProblemException(ProblemType.FORBIDDEN, "an upload slot URL grants one upload only");
  }
}
