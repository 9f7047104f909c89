package io.caravan.dialect.postgres;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A field value of a type the codec does not decode: the type OID and the binary COPY bytes, passed through unchanged.
 *
 * <p>Equality and hash code compare the bytes by content, unlike a plain record with an array component.
 *
 * @param typeOid the column's type OID ({@code pg_attribute.atttypid})
 * @param bytes   the field's bytes, without the int32 length prefix; never null; callers must not modify them
 */
public record PgRaw(int typeOid, byte[] bytes) {

    @Override
    public boolean equals(Object o) {
        return o instanceof PgRaw other && typeOid == other.typeOid && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * typeOid + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "PgRaw[typeOid=" + typeOid + ", bytes=" + HexFormat.of().formatHex(bytes) + "]";
    }
}
