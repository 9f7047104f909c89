package io.caravan.destination.s3;

import io.caravan.destination.file.ObjectStore;
import io.caravan.mapping.DestinationSpec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * An {@link ObjectStore} on an S3 bucket, through the AWS SDK v2 {@link S3Client} that camel-aws2-s3 brings,
 * configured as that component configures it from {@code overrideEndpoint}/{@code uriEndpointOverride},
 * {@code forcePathStyle}, {@code region}, {@code accessKey}/{@code secretKey} and
 * {@code useDefaultCredentialsProvider}. A put is one {@code PutObject}, which S3 applies atomically and durably
 * before it answers. Failures of the SDK are reported as {@link IOException}s carrying the operation, the SDK
 * exception's class and message ({@code put failed: NoSuchBucketException: The specified bucket does not exist...});
 * the caller names the object.
 */
public final class S3Store implements ObjectStore {

    /** Region used with an endpoint and no {@code s3_region} (S3-compatible servers mostly ignore it). */
    public static final String DEFAULT_ENDPOINT_REGION = "us-east-1";
    /** {@code DeleteObjects} takes at most this many keys (S3 API reference). */
    private static final int DELETE_CHUNK = 1000;

    private final S3Client client;
    private final String bucket;

    /**
     * @param client a client; closed by {@link #close()}
     * @param bucket the bucket; never null
     */
    public S3Store(S3Client client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    /**
     * Builds the client of a destination's bucket: with {@code s3_endpoint}, that endpoint with path-style access
     * and region {@code s3_region} or {@value #DEFAULT_ENDPOINT_REGION}; without it, AWS with {@code s3_region} or
     * the SDK's default region chain. Credentials are {@code aws_access_key_id}/{@code aws_secret_access_key} when
     * given, else the SDK's default credential chain (environment, system properties, profile, container, instance
     * role). The HTTP client is the SDK's Apache client, named explicitly because tests put other HTTP clients on
     * the class path too.
     *
     * @param location the bucket and how to reach it; never null
     * @return the store
     * @throws IllegalArgumentException when the endpoint is not a URI
     * @throws SdkException             when the SDK cannot find a region or set up the client
     */
    public static S3Store open(DestinationSpec.S3Location location) {
        S3ClientBuilder b = S3Client.builder().httpClientBuilder(ApacheHttpClient.builder());
        if (location.endpoint() != null && !location.endpoint().isBlank()) {
            b.endpointOverride(URI.create(location.endpoint())).forcePathStyle(true);
            b.region(Region.of(location.region() != null ? location.region() : DEFAULT_ENDPOINT_REGION));
        } else if (location.region() != null) {
            b.region(Region.of(location.region()));
        }
        b.credentialsProvider(credentials(location));
        return new S3Store(b.build(), location.bucket());
    }

    private static AwsCredentialsProvider credentials(DestinationSpec.S3Location location) {
        if (location.accessKeyId() != null && !location.accessKeyId().isEmpty()) {
            String secret = location.secretAccessKey() == null ? "" : location.secretAccessKey().resolve();
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(location.accessKeyId().resolve(),
                    secret));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** @return the bucket */
    public String bucket() {
        return bucket;
    }

    @Override
    public void put(String key, Path file) throws IOException {
        try {
            client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("put", e);
        }
    }

    @Override
    public boolean get(String key, Path file) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".get", ".tmp");
        Files.delete(tmp);
        try {
            client.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build(),
                    ResponseTransformer.toFile(tmp));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkException e) {
            throw failure("get", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        List<StoredObject> out = new ArrayList<>();
        try {
            for (S3Object o : client.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
                    .prefix(prefix).build()).contents()) {
                out.add(new StoredObject(o.key(), o.size()));
            }
        } catch (SdkException e) {
            throw failure("list", e);
        }
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    @Override
    public void delete(Collection<String> keys) throws IOException {
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += DELETE_CHUNK) {
            List<ObjectIdentifier> ids = all.subList(from, Math.min(all.size(), from + DELETE_CHUNK)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            DeleteObjectsResponse r;
            try {
                r = client.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true)
                        .build()));
            } catch (SdkException e) {
                throw failure("delete", e);
            }
            if (r.hasErrors() && !r.errors().isEmpty()) {
                var first = r.errors().get(0);
                throw new IOException("cannot delete s3://" + bucket + "/" + first.key() + ": " + first.code() + " "
                        + first.message() + " (" + r.errors().size() + " keys failed)");
            }
        }
    }

    /** @return {@code <operation> failed: <SDK exception class>: <message>}; the caller names the object */
    private static IOException failure(String operation, SdkException e) {
        return new IOException(operation + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    @Override
    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public void close() {
        client.close();
    }
}
