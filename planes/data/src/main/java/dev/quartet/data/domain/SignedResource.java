package dev.quartet.data.domain;

/**
 * What a signed URL grants access to, and the server-side facts its signature binds: a URL
 * signed for one resource fails for any other, and for the same resource once its facts change.
 */
public sealed interface SignedResource permits SignedResource.ReadableBlob, UploadSlot {
  /** The HTTP method the URL is for. */
  String method();

  /** The URL's path, exactly as it is signed and must be requested. */
  String path();

  /** The facts bound into the signature besides method, path and expiry. */
  String subject();

  /** Read access to one stored payload's plaintext: {@code GET /v1/blobs/<id>}. */
  record ReadableBlob(PayloadId id, Sha256 sha256) implements SignedResource {
    public ReadableBlob {
      if (id == null || sha256 == null) {
        throw new IllegalArgumentException("ReadableBlob: id and sha256 required");
      }
    }

    @Override
    public String method() {
      return "GET";
    }

    @Override
    public String path() {
      return "/v1/blobs/" + id;
    }

    @Override
    public String subject() {
      return "blob;" + id.ref() + ";sha256=" + sha256.hex();
    }
  }
}
