package dev.quartet.data.api;

import dev.quartet.contracts.ProblemType;
import dev.quartet.data.PayloadAcceptor;
import dev.quartet.data.PayloadRetriever;
import dev.quartet.data.config.PayloadSettings;
import dev.quartet.data.domain.Caller;
import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.Sha256;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.Upload;
import dev.quartet.runtime.InvalidRequestException;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Head;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashSet;
import java.util.function.Supplier;

/**
 * Classified payloads: {@code PUT /v1/payloads?classification=C[&route=R]} streams a body in
 * (optionally checked against {@code X-Content-SHA256}) and answers its reference;
 * {@code GET /v1/payloads/{id}} streams the verified plaintext back; {@code HEAD} describes it;
 * {@code GET /v1/payloads/{id}/reference} answers the reference JSON. {@code id} is the UUID of
 * the reference {@code quartet:payload/<id>}. Access is decided per classification by data roles;
 * a payload belongs to the tenant of the principal that stored it (an unscoped principal may name
 * one with {@code tenant=T}), and answers 404 to principals of other tenants.
 */
@Controller("/v1/payloads")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PayloadController {
  /** Header carrying the lowercase hex SHA-256 of the plaintext, on uploads and answers. */
  public static final String SHA256_HEADER = "X-Content-SHA256";
  /** Answer header: the payload's classification. */
  public static final String CLASSIFICATION_HEADER = "X-Quartet-Classification";
  /** Answer header: the payload's size in bytes (also on HEAD, where Content-Length may be dropped). */
  public static final String SIZE_HEADER = "X-Quartet-Size";
  /** Answer header: the payload's reference URI. */
  public static final String REF_HEADER = "X-Quartet-Ref";
  /** Request header: correlation id to record with the payload's events. */
  public static final String CORRELATION_HEADER = "X-Correlation-Id";

  private final PayloadAcceptor acceptor;
  private final PayloadRetriever retriever;
  private final PayloadSettings settings;

  PayloadController(PayloadAcceptor acceptor, PayloadRetriever retriever, PayloadSettings settings) {
    this.acceptor = acceptor;
    this.retriever = retriever;
    this.settings = settings;
  }

  /** Stores the streamed body as a new payload; 201 with its reference. */
  @Put(value = "{?classification,route,tenant}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<PayloadReferenceView> put(Authentication who, HttpRequest<?> request,
                                                @Nullable @QueryValue String classification,
                                                @Nullable @QueryValue String route,
                                                @Nullable @QueryValue String tenant,
                                                @Nullable @Header(SHA256_HEADER) String sha256,
                                                @Nullable @Header(CORRELATION_HEADER) String correlationId,
                                                @Nullable @Body InputStream body) {
    long declared = request.getHeaders().contentLength().orElse(-1);
    Upload upload = valid(() -> new Upload(Classification.parse(classification),
        route == null ? settings.defaultRoute() : route, declared, sha256 == null ? null : Sha256.parse(sha256), tenant));
    // The server binds no body stream for an empty request (Content-Length: 0).
    try (InputStream in = body == null ? InputStream.nullInputStream() : body) {
      if (body == null && declared > 0) {
        throw new IllegalStateException("no body stream for a declared body of " + declared + " bytes");
      }
      StoredPayload p = acceptor.accept(caller(who, correlationId), upload, in);
      return HttpResponse.<PayloadReferenceView>status(HttpStatus.CREATED)
          .headers(h -> h.location(URI.create("/v1/payloads/" + p.id())))
          .body(PayloadReferenceView.of(p));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the upload body", e);
    }
  }

  /** Streams the payload's verified plaintext. */
  // headRoute = false: HEAD is answered from the index alone, without fetching and verifying content.
  @Get(value = "/{id}", produces = MediaType.APPLICATION_OCTET_STREAM, headRoute = false)
  public HttpResponse<StreamedFile> get(Authentication who, @PathVariable String id,
                                        @Nullable @Header(CORRELATION_HEADER) String correlationId) {
    PayloadRetriever.PayloadContent c = retriever.open(caller(who, correlationId), payloadId(id));
    StoredPayload p = c.payload();
    return described(HttpResponse.ok(new StreamedFile(c.content(), MediaType.APPLICATION_OCTET_STREAM_TYPE,
        p.storedAt().toEpochMilli(), p.size())), p);
  }

  /** The payload's size, SHA-256 and classification as headers, without content. */
  @Head("/{id}")
  public HttpResponse<?> head(Authentication who, @PathVariable String id) {
    StoredPayload p = retriever.describe(caller(who, null), payloadId(id));
    return described(HttpResponse.ok(), p).contentLength(p.size());
  }

  /** The payload's reference JSON, as answered when it was stored. */
  @Get(value = "/{id}/reference", produces = MediaType.APPLICATION_JSON, headRoute = false)
  public PayloadReferenceView reference(Authentication who, @PathVariable String id) {
    return PayloadReferenceView.of(retriever.describe(caller(who, null), payloadId(id)));
  }

  static <T> MutableHttpResponse<T> described(MutableHttpResponse<T> response, StoredPayload p) {
    return response
        .header(SHA256_HEADER, p.sha256().hex())
        .header(CLASSIFICATION_HEADER, p.classification().name())
        .header(SIZE_HEADER, Long.toString(p.size()))
        .header(REF_HEADER, p.id().ref())
        .header("ETag", "\"" + p.sha256().hex() + "\"")
        // Classified content must not linger in shared caches.
        .header("Cache-Control", "no-store");
  }

  /** The data plane's view of an authenticated principal; one naming no valid tenant is refused (403). */
  static Caller caller(Authentication who, String correlationId) {
    Object tenant = who.getAttributes().get(Roles.TENANT_ATTRIBUTE);
    if (tenant == null) {
      throw new ProblemException(ProblemType.FORBIDDEN, "principal " + who.getName() + " names no tenant");
    }
    // A bad correlation id is the request's fault (400); a bad tenant is the principal's (403).
    valid(() -> Caller.requireValidCorrelationId(correlationId));
    try {
      return new Caller(who.getName(), new HashSet<>(who.getRoles()), tenant.toString(), correlationId);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.FORBIDDEN, "principal " + who.getName() + " is scoped to no valid tenant");
    }
  }

  static PayloadId payloadId(String id) {
    return valid(() -> PayloadId.parse(id));
  }

  static <T> T valid(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
  }
}
