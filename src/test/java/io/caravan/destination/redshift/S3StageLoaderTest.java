package io.caravan.destination.redshift;

import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Secret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How COPY is authorized, and what a destination without a staging bucket is told. */
class S3StageLoaderTest {

    private static DestinationSpec spec(DestinationSpec.S3Location s3, String iamRole) {
        return new DestinationSpec("lake", "redshift", "examplecluster.abc123.us-west-1.redshift.amazonaws.com", "dev",
                "caravan", Secret.NONE, "dw", s3, "", null, null, iamRole);
    }

    @Test
    void anIamRoleWinsOverKeys() {
        DestinationSpec.S3Location keys = new DestinationSpec.S3Location("b", null, null, new Secret("AKIAEXAMPLE"),
                new Secret("s3cret"));
        assertThat(S3StageLoader.authorization(spec(keys, "arn:aws:iam::123456789012:role/Copy")))
                .isEqualTo("IAM_ROLE 'arn:aws:iam::123456789012:role/Copy'");
        assertThat(S3StageLoader.authorization(spec(keys, null)))
                .isEqualTo("ACCESS_KEY_ID 'AKIAEXAMPLE' SECRET_ACCESS_KEY 's3cret'");
    }

    @Test
    void aDestinationWithoutBucketIsToldToNameOne() {
        assertThatThrownBy(() -> new RedshiftDestination(null, spec(null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("destination lake (redshift) needs s3_bucket_name: each batch is staged there for COPY");
    }

    @Test
    void jdbcUrlDefaultsToPort5439() {
        assertThat(RedshiftConnections.jdbcUrl("examplecluster.abc123.us-west-1.redshift.amazonaws.com", "dev"))
                .isEqualTo("jdbc:postgresql://examplecluster.abc123.us-west-1.redshift.amazonaws.com:5439/dev");
        assertThat(RedshiftConnections.jdbcUrl("rs.internal:5440", "dev"))
                .isEqualTo("jdbc:postgresql://rs.internal:5440/dev");
        assertThat(RedshiftConnections.jdbcUrl("jdbc:postgresql://h:1/x?ssl=true", "dev"))
                .isEqualTo("jdbc:postgresql://h:1/x?ssl=true");
    }
}
