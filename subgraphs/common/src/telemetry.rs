//! What an operator sees of a running process: logs (text or JSON lines carrying
//! the trace id), OpenTelemetry traces exported over OTLP/HTTP when an endpoint is
//! configured, W3C `traceparent` propagation between the gateway and the subgraphs,
//! and the Prometheus registry every `/metrics` route renders.
//!
//! Tracing costs nothing when it is off: the spans fitgraph adds for operators use
//! the [`SPANS`] target, which the log filter then switches off, and no OpenTelemetry
//! layer is installed.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::http::HeaderMap;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::{TraceContextExt, TracerProvider as _};
use opentelemetry_http::{HeaderExtractor, HeaderInjector};
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider};
use serde::{Deserialize, Serialize};
use tracing::Subscriber;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::fmt::format::{Format, Json, JsonFields, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// The target of the spans fitgraph creates for traces (requests, plans, fetches,
/// resolvers, cache and bus work): off unless tracing is on.
pub const SPANS: &str = "fitgraph::spans";

/// How logs and traces leave the process (`[telemetry]`, `FITGRAPH_TELEMETRY__*`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TelemetrySettings {
    /// Base URL of an OTLP/HTTP receiver (`http://collector:4318`); spans go to
    /// `<endpoint>/v1/traces`. Unset: no traces are exported.
    pub otlp_endpoint: Option<String>,
    pub otlp_protocol: OtlpProtocol,
    /// The `service.name` of exported spans; unset: `fitgraph-<role>`.
    pub service_name: Option<String>,
    /// Share (0-1) of new traces kept; a trace started upstream keeps its decision.
    pub sample_ratio: f64,
    pub log_format: LogFormat,
}

impl Default for TelemetrySettings {
    fn default() -> Self {
        TelemetrySettings {
            otlp_endpoint: None,
            otlp_protocol: OtlpProtocol::HttpProtobuf,
            service_name: None,
            sample_ratio: 1.0,
            log_format: LogFormat::Text,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OtlpProtocol {
    #[serde(rename = "http/protobuf")]
    HttpProtobuf,
    #[serde(rename = "http/json")]
    HttpJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    /// One JSON object per line, with `trace_id` and `span_id` inside a request.
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error("cannot build the OTLP exporter for {endpoint}: {reason}")]
    Exporter { endpoint: String, reason: String },
    #[error("`telemetry.sample_ratio` must be between 0 and 1, not {0}")]
    SampleRatio(f64),
}

/// Keeps the trace exporter alive; dropping it sends what is still buffered.
#[must_use = "dropping the guard stops exporting traces"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// No exporter: what tests and one-shot commands use.
    pub fn none() -> Self {
        Telemetry { provider: None }
    }

    /// Sends every finished span now (tests read them from their receiver).
    pub fn flush(&self) {
        if let Some(provider) = &self.provider
            && let Err(error) = provider.force_flush()
        {
            tracing::warn!(%error, "could not flush spans");
        }
    }
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(error) = provider.shutdown()
        {
            eprintln!("could not send the last spans: {error}");
        }
    }
}

static TRACING_ON: AtomicBool = AtomicBool::new(false);

/// Whether spans are recorded (and so worth propagating).
pub fn tracing_enabled() -> bool {
    TRACING_ON.load(Ordering::Relaxed)
}

/// Installs the process's logging and, when configured, trace export. `service`
/// names the process (`fitgraph-gateway`); `default_level` applies without `RUST_LOG`.
/// A second call keeps the first setup (tests, embedded runs).
pub fn init(
    settings: &TelemetrySettings,
    service: &str,
    default_level: &str,
) -> Result<Telemetry, TelemetryError> {
    if !(0.0..=1.0).contains(&settings.sample_ratio) {
        return Err(TelemetryError::SampleRatio(settings.sample_ratio));
    }
    // JSON logs carry trace ids, so they need spans even without an exporter.
    let traced = settings.otlp_endpoint.is_some() || settings.log_format == LogFormat::Json;
    let filter = log_filter(default_level, traced);
    let provider = if traced {
        Some(tracer_provider(settings, service)?)
    } else {
        None
    };
    let otel = provider.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("fitgraph"))
            .with_tracked_inactivity(false)
    });
    let logs = match settings.log_format {
        LogFormat::Text => tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .event_format(WithTraceIds(Format::default().json()))
            .fmt_fields(JsonFields::new())
            .with_writer(std::io::stderr)
            .boxed(),
    };
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(otel)
        .with(logs)
        .try_init()
        .is_ok();
    if !installed {
        return Ok(Telemetry::none());
    }
    if provider.is_some() {
        opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
        TRACING_ON.store(true, Ordering::Relaxed);
    }
    Ok(Telemetry { provider })
}

/// `RUST_LOG`, else `default_level`; without tracing, the operator spans and
/// sea-orm's per-statement spans are switched off.
fn log_filter(default_level: &str, traced: bool) -> EnvFilter {
    let base = std::env::var("RUST_LOG").unwrap_or_else(|_| default_level.to_owned());
    let directives = if traced {
        base
    } else {
        format!("{base},{SPANS}=off,sea_orm::database=warn")
    };
    EnvFilter::try_new(&directives).unwrap_or_else(|_| EnvFilter::new(default_level))
}

fn tracer_provider(
    settings: &TelemetrySettings,
    service: &str,
) -> Result<SdkTracerProvider, TelemetryError> {
    let service_name = settings
        .service_name
        .clone()
        .unwrap_or_else(|| service.to_owned());
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(service_name)
        .build();
    let sampler = Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(settings.sample_ratio)));
    let mut builder = SdkTracerProvider::builder()
        .with_resource(resource)
        .with_sampler(sampler);
    if let Some(endpoint) = &settings.otlp_endpoint {
        builder = builder.with_batch_exporter(span_exporter(endpoint, settings.otlp_protocol)?);
    }
    Ok(builder.build())
}

fn span_exporter(
    endpoint: &str,
    protocol: OtlpProtocol,
) -> Result<opentelemetry_otlp::SpanExporter, TelemetryError> {
    let base = endpoint.trim_end_matches('/');
    let url = if base.ends_with("/v1/traces") {
        base.to_owned()
    } else {
        format!("{base}/v1/traces")
    };
    let protocol = match protocol {
        OtlpProtocol::HttpProtobuf => Protocol::HttpBinary,
        OtlpProtocol::HttpJson => Protocol::HttpJson,
    };
    opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(url)
        .with_protocol(protocol)
        .build()
        .map_err(|error| TelemetryError::Exporter {
            endpoint: endpoint.to_owned(),
            reason: error.to_string(),
        })
}

/// tracing-subscriber's JSON lines, with the OpenTelemetry trace and span id of
/// the span the event happened in.
struct WithTraceIds(Format<Json>);

impl<S, N> FormatEvent<S, N> for WithTraceIds
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let mut line = String::new();
        self.0.format_event(ctx, Writer::new(&mut line), event)?;
        let ids = ctx.lookup_current().and_then(|span| {
            tracing::dispatcher::get_default(|dispatch| {
                tracing_opentelemetry::get_otel_context(&span.id(), dispatch)
            })
        });
        let span_context = ids.as_ref().map(|cx| cx.span().span_context().clone());
        match (span_context, line.trim_end().strip_suffix('}')) {
            (Some(ids), Some(object)) if ids.is_valid() => writeln!(
                writer,
                "{object},\"trace_id\":\"{}\",\"span_id\":\"{}\"}}",
                ids.trace_id(),
                ids.span_id()
            ),
            _ => writer.write_str(&line),
        }
    }
}

/// `builder` with resolver spans when tracing is on; unchanged otherwise, so
/// untraced requests pay nothing.
pub fn with_resolver_spans<Q, M, S>(
    builder: async_graphql::SchemaBuilder<Q, M, S>,
) -> async_graphql::SchemaBuilder<Q, M, S> {
    if tracing_enabled() {
        builder.extension(ResolverSpans)
    } else {
        builder
    }
}

/// A span for each root field and each field directly below one (`_entities` and
/// what an entity resolves, `me.todayWorkout`): where a subgraph's work happens.
/// Deeper fields are plain data; a span each would flood the exporter (a page of
/// the exercise library has thousands).
struct ResolverSpans;

/// Field names on the path down to and including a resolver deeper than this get no span.
const RESOLVER_SPAN_DEPTH: usize = 2;

impl async_graphql::extensions::ExtensionFactory for ResolverSpans {
    fn create(&self) -> std::sync::Arc<dyn async_graphql::extensions::Extension> {
        std::sync::Arc::new(ResolverSpans)
    }
}

#[async_trait::async_trait]
impl async_graphql::extensions::Extension for ResolverSpans {
    async fn resolve(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        info: async_graphql::extensions::ResolveInfo<'_>,
        next: async_graphql::extensions::NextResolve<'_>,
    ) -> async_graphql::ServerResult<Option<async_graphql::Value>> {
        if info.is_for_introspection || field_depth(info.path_node) > RESOLVER_SPAN_DEPTH {
            return next.run(ctx, info).await;
        }
        let span = tracing::info_span!(
            target: SPANS,
            "resolve",
            otel.name = format!("resolve {}.{}", info.parent_type, info.name),
            graphql.field.path = %info.path_node,
        );
        tracing::Instrument::instrument(next.run(ctx, info), span).await
    }
}

/// How many field names the path holds (list indices do not count).
fn field_depth(node: &async_graphql::QueryPathNode<'_>) -> usize {
    let mut depth = 0;
    let mut current = Some(node);
    while let Some(node) = current {
        if matches!(node.segment, async_graphql::QueryPathSegment::Name(_)) {
            depth += 1;
        }
        current = node.parent;
    }
    depth
}

/// Adds the current span's trace context to an outgoing request's headers
/// (`traceparent`, `tracestate`); nothing when tracing is off.
pub fn inject_trace_context(headers: &mut HeaderMap) {
    if !tracing_enabled() {
        return;
    }
    let context = tracing::Span::current().context();
    TraceContextPropagator::new().inject_context(&context, &mut HeaderInjector(headers));
}

/// Makes `span` a child of the trace an incoming request's headers carry.
pub fn continue_trace(span: &tracing::Span, headers: &HeaderMap) {
    if !tracing_enabled() {
        return;
    }
    let parent = TraceContextPropagator::new().extract(&HeaderExtractor(headers));
    if parent.span().span_context().is_valid() {
        let _ = span.set_parent(parent);
    }
}

/// The trace id of `span`, when it is recorded.
pub fn trace_id(span: &tracing::Span) -> Option<String> {
    let context = span.context();
    let span_context = context.span().span_context().clone();
    span_context
        .is_valid()
        .then(|| span_context.trace_id().to_string())
}

/// One lookup in the cache `cache`: its hit rate is
/// `fitgraph_cache_requests_total{result="hit"}` over all of its requests.
pub fn count_cache(cache: &'static str, hit: bool) {
    let result = if hit { "hit" } else { "miss" };
    metrics::counter!("fitgraph_cache_requests_total", "cache" => cache, "result" => result)
        .increment(1);
}

/// Latency buckets (seconds) for every `*_duration_seconds` histogram: from half a
/// millisecond, where a cached subgraph answer lands, to the 10 s of a slow training.
const LATENCY_BUCKETS: [f64; 15] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static METRICS: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's Prometheus registry, installed as the `metrics` recorder on first
/// use. Every server calls it while building its routes, so nothing recorded
/// afterwards is lost.
pub fn metrics() -> &'static PrometheusHandle {
    METRICS.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&LATENCY_BUCKETS)
            .expect("the bucket list is a non-empty constant")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder was installed first; /metrics stays empty");
        }
        handle
    })
}

/// `GET /metrics`: every series of this process in the Prometheus text format.
pub async fn render_metrics() -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics().render(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_protocol_and_format_names() {
        let settings: TelemetrySettings = serde_json::from_value(serde_json::json!({
            "otlp_endpoint": "http://collector:4318",
            "otlp_protocol": "http/json",
            "log_format": "json",
        }))
        .expect("valid settings");
        assert_eq!(settings.otlp_protocol, OtlpProtocol::HttpJson);
        assert_eq!(settings.log_format, LogFormat::Json);
        assert_eq!(settings.sample_ratio, 1.0);
    }

    #[test]
    fn a_sample_ratio_outside_zero_to_one_is_refused() {
        let settings = TelemetrySettings {
            sample_ratio: 1.5,
            ..TelemetrySettings::default()
        };
        assert!(matches!(
            init(&settings, "test", "warn"),
            Err(TelemetryError::SampleRatio(_))
        ));
    }

    #[test]
    fn without_tracing_the_operator_spans_are_filtered_out() {
        let filter = log_filter("info", false).to_string();
        assert!(filter.contains("fitgraph::spans=off"), "{filter}");
        assert!(!log_filter("info", true).to_string().contains("off"));
    }
}
