package dev.teec.enclave.worker;

import dev.teec.enclave.proxy.ContentCache;
import dev.teec.enclave.proxy.OfflineReplay;
import dev.teec.enclave.proxy.RecordedResponse;
import dev.teec.formats.report.NetworkResource;
import dev.teec.formats.report.ProvenanceReport;
import java.util.List;

/** Offline replay of the network resources a report records (SPEC W7.8). */
public final class OfflineReplays {
  private OfflineReplays() {}

  /** The report's network resources as recorded responses. */
  public static List<RecordedResponse> recorded(ProvenanceReport report) {
    return report.networkResources().stream().map(OfflineReplays::recorded).toList();
  }

  /** One network resource as a recorded response. */
  public static RecordedResponse recorded(NetworkResource r) {
    return new RecordedResponse(
        r.method(), r.uri(), r.status(), r.size(), r.contentType(), r.sha256());
  }

  /** A replay of everything {@code report} records, with bodies from {@code cache}. */
  public static OfflineReplay of(ProvenanceReport report, ContentCache cache) {
    return OfflineReplay.of(recorded(report), cache);
  }
}
