package io.tributary.connect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.apache.spark.connect.proto.UserContext;
import org.sparkproject.connect.grpc.ManagedChannel;
import org.sparkproject.connect.grpc.ManagedChannelBuilder;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.stub.MetadataUtils;

/**
 * A bare Spark Connect client speaking the protocol itself (the server jar carries the protocol classes), so the
 * tests see exactly what a remote client sees: a SQL query in, Arrow batches out, first column as text.
 */
final class ConnectTestClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final SparkConnectServiceGrpc.SparkConnectServiceBlockingStub stub;
  private final String sessionId = UUID.randomUUID().toString();

  ConnectTestClient(int port, String token) {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    SparkConnectServiceGrpc.SparkConnectServiceBlockingStub s = SparkConnectServiceGrpc.newBlockingStub(channel);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("Authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      s = s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    stub = s;
  }

  /** The first column of every row {@code sql} returns, as strings, in the order the server sent them. */
  List<String> firstColumn(String sql) throws IOException {
    ExecutePlanRequest request = ExecutePlanRequest.newBuilder()
        .setSessionId(sessionId)
        .setUserContext(UserContext.newBuilder().setUserId("test"))
        .setPlan(Plan.newBuilder().setRoot(Relation.newBuilder().setSql(SQL.newBuilder().setQuery(sql))))
        .build();
    List<String> values = new ArrayList<>();
    Iterator<ExecutePlanResponse> responses = stub.withDeadlineAfter(2, TimeUnit.MINUTES).executePlan(request);
    try (BufferAllocator allocator = new RootAllocator()) {
      while (responses.hasNext()) {
        ExecutePlanResponse r = responses.next();
        if (!r.hasArrowBatch()) {
          continue;
        }
        try (ArrowStreamReader reader = new ArrowStreamReader(
            new ByteArrayInputStream(r.getArrowBatch().getData().toByteArray()), allocator)) {
          VectorSchemaRoot root = reader.getVectorSchemaRoot();
          while (reader.loadNextBatch()) {
            FieldVector column = root.getVector(0);
            for (int i = 0; i < root.getRowCount(); i++) {
              Object v = column.getObject(i);
              values.add(v == null ? null : v.toString());
            }
          }
        }
      }
    }
    return values;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }
}
