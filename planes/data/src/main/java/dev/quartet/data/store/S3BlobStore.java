package dev.quartet.data.store;

import dev.quartet.data.config.BlobStoreSettings;
import dev.quartet.data.config.S3BlobStoreSettings;
import dev.quartet.data.domain.BlobKey;
import dev.quartet.data.domain.Sha256;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The blob store in an S3-compatible bucket: {@code <prefix>sha256/<2 hex>/<64 hex>}. An upload is
 * spooled to a private local temp file while it is hashed (its key is its digest, known only at the
 * end), then sent with one PUT carrying its MD5, which the store checks; a PUT is atomic, so a crash
 * leaves at most a local temp file, never a half-stored object.
 */
@Singleton
@Requires(property = "quartet.data.blob-store.type", value = "s3")
public class S3BlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final Path spool;

  @Inject
  S3BlobStore(S3BlobStoreSettings s3Settings, BlobStoreSettings local) {
    this(client(s3Settings), s3Settings.bucket(), s3Settings.prefix(), Path.of(local.dir(), "s3-spool"));
    log.info("Blob store: {}", s3Settings);
  }

  /** A store writing to {@code bucket} under {@code prefix}, spooling uploads in {@code spool}. */
  public S3BlobStore(S3Client s3, String bucket, String prefix, Path spool) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix == null ? "" : prefix;
    try {
      Files.createDirectories(spool, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      this.spool = spool.toRealPath();
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the blob spool directory " + spool + ": " + e.getMessage(), e);
    }
  }

  /** An S3 client for {@code settings}: static credentials when given, else the SDK's default chain. */
  static S3Client client(S3BlobStoreSettings settings) {
    AwsCredentialsProvider credentials = settings.accessKey() == null || settings.accessKey().isBlank()
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    return S3Client.builder()
        .endpointOverride(URI.create(settings.endpoint()))
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        // Plain, whole-payload-signed bodies with Content-MD5 instead of aws-chunked framing, which not
        // every S3-compatible store understands (one stored the framing as data); the MD5 is checked.
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle())
            .chunkedEncodingEnabled(false).build())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(settings.requestTimeout()).socketTimeout(settings.requestTimeout()))
        .overrideConfiguration(c -> c.apiCallTimeout(settings.requestTimeout().multipliedBy(3)))
        .build();
  }

  @Override
  public BlobUpload begin() throws IOException {
    return new SpooledUpload(Files.createTempFile(spool, "upload-", ".part"));
  }

  @Override
  public InputStream open(BlobKey key) throws IOException {
    try {
      return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(key.uri());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new NoSuchFileException(key.uri());
      }
      throw new IOException("blob store answered " + e.statusCode() + " for " + key.uri(), e);
    } catch (SdkException e) {
      throw new IOException("blob store unreachable: " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public boolean exists(BlobKey key) throws IOException {
    try {
      s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new IOException("blob store answered " + e.statusCode() + " for " + key.uri(), e);
    } catch (SdkException e) {
      throw new IOException("blob store unreachable: " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    String object = objectKey(key);
    // S3 answers a DELETE of a missing object with 204 too: ask first, so the caller learns
    // whether this call removed it, and a missing blob stays no error.
    if (!exists(key)) {
      return false;
    }
    try {
      s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(object).build());
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new IOException("blob store refused to delete " + key.uri() + ": " + e.statusCode(), e);
    } catch (SdkException e) {
      throw new IOException("blob store unreachable: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The object key of a blob: content-addressed, built from a validated digest only. */
  String objectKey(BlobKey key) {
    String hex = key.storedSha256().hex();
    return prefix + "sha256/" + hex.substring(0, 2) + "/" + hex;
  }

  @PreDestroy
  void close() {
    s3.close();
  }

  private final class SpooledUpload implements BlobUpload {
    private final Path file;
    private final MessageDigest sha256 = Sha256.newDigest();
    private final MessageDigest md5;
    private final OutputStream stream;
    private boolean committed;

    SpooledUpload(Path file) throws IOException {
      this.file = file;
      try {
        this.md5 = MessageDigest.getInstance("MD5");  // what S3 checks the body against (Content-MD5)
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("MD5 is part of every JDK", e);
      }
      this.stream = new DigestOutputStream(new DigestOutputStream(
          new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024), sha256), md5);
    }

    @Override
    public OutputStream stream() {
      return stream;
    }

    @Override
    public BlobKey commit() throws IOException {
      stream.close();
      BlobKey key = new BlobKey(Sha256.of(sha256));
      try {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(objectKey(key))
            .contentMD5(Base64.getEncoder().encodeToString(md5.digest()))
            .contentType("application/octet-stream").build(), RequestBody.fromFile(file));
      } catch (SdkException e) {
        throw new IOException("blob store refused or did not answer the upload: " + e.getClass().getSimpleName(), e);
      } finally {
        Files.deleteIfExists(file);
      }
      committed = true;
      return key;
    }

    @Override
    public void close() {
      try {
        stream.close();
        if (!committed) {
          Files.deleteIfExists(file);
        }
      } catch (IOException e) {
        log.warn("Could not remove the spooled upload {}: {}", file.getFileName(), e.getMessage());
      }
    }
  }
}
