/**
 * The {@code api_call} event contract and its codec.
 *
 * <p>The JSON Schema {@code schemas/api_call.schema.json} (on this module's classpath) is the
 * contract; {@link id.audit.tokenid.schemas.ApiCallCodec} turns one Kafka record value into a
 * {@link id.audit.tokenid.schemas.DecodeResult} and accepts exactly what the schema accepts.
 * Money is carried as whole nano-dollars ({@link id.audit.tokenid.schemas.CostNanos}), never as a
 * binary floating-point number.
 */
package id.audit.tokenid.schemas;
