//! Bearer JWT verification against keys generated at test time.

use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fitgraph_auth::jwt::{DevToken, JwtConfig, JwtError, JwtVerifier, mint_hs256};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::pkcs8::EncodePrivateKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

const ISSUER: &str = "https://id.example";
const AUDIENCE: &str = "fitgraph";
const SECRET: &str = "a-development-secret-for-tests-only";

/// A private key to sign with and its public half as a JWK.
struct TestKey {
    encoding: EncodingKey,
    jwk: Value,
    algorithm: Algorithm,
}

// RSA generation takes a while; each test binary makes these once.
static RSA_MAIN: LazyLock<rsa::RsaPrivateKey> = LazyLock::new(generate_rsa);
static RSA_OTHER: LazyLock<rsa::RsaPrivateKey> = LazyLock::new(generate_rsa);

fn generate_rsa() -> rsa::RsaPrivateKey {
    rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("2048 is a valid RSA key size")
}

fn rsa_key(private: &rsa::RsaPrivateKey, kid: &str) -> TestKey {
    let der = private
        .to_pkcs1_der()
        .expect("a generated RSA key encodes as PKCS#1");
    TestKey {
        encoding: EncodingKey::from_rsa_der(der.as_bytes()),
        jwk: json!({
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(private.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(private.e().to_bytes_be()),
        }),
        algorithm: Algorithm::RS256,
    }
}

fn ec_key(kid: &str) -> TestKey {
    let private = p256::ecdsa::SigningKey::random(&mut rand::thread_rng());
    let der = private
        .to_pkcs8_der()
        .expect("a generated P-256 key encodes as PKCS#8");
    let point = private.verifying_key().to_encoded_point(false);
    let coordinate = |value: Option<&p256::FieldBytes>| {
        URL_SAFE_NO_PAD.encode(value.expect("an uncompressed point has both coordinates"))
    };
    TestKey {
        encoding: EncodingKey::from_ec_der(der.as_bytes()),
        jwk: json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "kid": kid,
            "x": coordinate(point.x()), "y": coordinate(point.y()),
        }),
        algorithm: Algorithm::ES256,
    }
}

fn jwks(keys: &[&TestKey]) -> Value {
    json!({ "keys": keys.iter().map(|key| key.jwk.clone()).collect::<Vec<_>>() })
}

fn now() -> i64 {
    let elapsed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the test machine's clock is after 1970");
    i64::try_from(elapsed.as_secs()).expect("seconds since 1970 fit an i64")
}

/// Claims that pass every check of [`config`].
fn good_claims() -> Value {
    json!({"sub": "user-1", "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 600, "iat": now()})
}

fn with(mut claims: Value, field: &str, value: Value) -> Value {
    claims[field] = value;
    claims
}

fn without(mut claims: Value, field: &str) -> Value {
    if let Some(map) = claims.as_object_mut() {
        map.remove(field);
    }
    claims
}

fn sign(key: &TestKey, kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(key.algorithm);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &key.encoding).expect("test claims sign")
}

fn hs256(secret: &str, claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("test claims sign")
}

fn config() -> JwtConfig {
    JwtConfig {
        issuer: Some(ISSUER.into()),
        audience: Some(AUDIENCE.into()),
        ..JwtConfig::default()
    }
}

/// A verifier reading `keys` from a file, which must outlive it.
async fn file_verifier(keys: &Value) -> (JwtVerifier, tempfile::NamedTempFile) {
    let mut file = tempfile::NamedTempFile::new().expect("the temp dir is writable");
    file.write_all(keys.to_string().as_bytes())
        .expect("the temp file is writable");
    let verifier = JwtVerifier::new(JwtConfig {
        jwks_file: Some(file.path().to_owned()),
        ..config()
    })
    .await
    .expect("the JWKS file is valid");
    (verifier, file)
}

async fn secret_verifier() -> JwtVerifier {
    JwtVerifier::new(JwtConfig {
        hs256_secret: Some(SECRET.into()),
        ..config()
    })
    .await
    .expect("a secret is a valid key source")
}

/// A JWKS endpoint whose document and health the test controls.
struct JwksServer {
    url: String,
    shared: Arc<Served>,
}

struct Served {
    document: Mutex<Option<Value>>,
    hits: AtomicUsize,
}

impl JwksServer {
    async fn start(document: Value) -> Self {
        let shared = Arc::new(Served {
            document: Mutex::new(Some(document)),
            hits: AtomicUsize::new(0),
        });
        let app = axum::Router::new()
            .route("/jwks.json", axum::routing::get(serve_jwks))
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port is free");
        let address = listener
            .local_addr()
            .expect("a bound socket has an address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self {
            url: format!("http://{address}/jwks.json"),
            shared,
        }
    }

    /// `None` makes the endpoint answer 500.
    fn publish(&self, document: Option<Value>) {
        *self
            .shared
            .document
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = document;
    }

    fn hits(&self) -> usize {
        self.shared.hits.load(Ordering::SeqCst)
    }

    async fn verifier(&self, refresh: Duration) -> JwtVerifier {
        JwtVerifier::new(JwtConfig {
            jwks_url: Some(self.url.clone()),
            jwks_refresh: refresh,
            ..config()
        })
        .await
        .expect("the JWKS server is up")
    }
}

async fn serve_jwks(State(shared): State<Arc<Served>>) -> Response {
    shared.hits.fetch_add(1, Ordering::SeqCst);
    let document = shared
        .document
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    match document {
        Some(document) => Json(document).into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[tokio::test]
async fn rs256_token_verifies_against_a_jwks_file() {
    let key = rsa_key(&RSA_MAIN, "rsa-1");
    let (verifier, _file) = file_verifier(&jwks(&[&key])).await;
    let expires = now() + 600;
    let token = sign(
        &key,
        Some("rsa-1"),
        &with(good_claims(), "exp", json!(expires)),
    );
    let claims = verifier.verify(&token).await.expect("the token is valid");
    assert_eq!(claims.subject, "user-1");
    assert_eq!(claims.expires_at, u64::try_from(expires).expect("positive"));
    assert!(claims.scopes.is_empty());
    assert_eq!(claims.client, None);
}

#[tokio::test]
async fn es256_token_verifies_against_a_jwks_url() {
    let key = ec_key("ec-1");
    let server = JwksServer::start(jwks(&[&key])).await;
    let verifier = server.verifier(Duration::from_secs(600)).await;
    let token = sign(&key, Some("ec-1"), &good_claims());
    let claims = verifier.verify(&token).await.expect("the token is valid");
    assert_eq!(claims.subject, "user-1");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn hs256_token_verifies_with_the_secret() {
    let verifier = secret_verifier().await;
    let claims = verifier
        .verify(&hs256(SECRET, &good_claims()))
        .await
        .expect("the token is valid");
    assert_eq!(claims.subject, "user-1");
    let forged = hs256("another-secret", &good_claims());
    assert!(matches!(
        verifier.verify(&forged).await,
        Err(JwtError::BadSignature)
    ));
}

#[tokio::test]
async fn expired_beyond_leeway_is_refused() {
    let verifier = secret_verifier().await;
    let token = hs256(SECRET, &with(good_claims(), "exp", json!(now() - 120)));
    let error = verifier
        .verify(&token)
        .await
        .expect_err("expired 2 min ago");
    assert!(matches!(error, JwtError::Expired), "{error}");
    assert_eq!(error.reason(), "token expired");
}

#[tokio::test]
async fn expired_within_leeway_is_accepted() {
    let verifier = secret_verifier().await;
    let token = hs256(SECRET, &with(good_claims(), "exp", json!(now() - 30)));
    verifier
        .verify(&token)
        .await
        .expect("30 s is within the 60 s leeway");
}

#[tokio::test]
async fn nbf_in_the_future_is_refused() {
    let verifier = secret_verifier().await;
    let future = hs256(SECRET, &with(good_claims(), "nbf", json!(now() + 300)));
    let error = verifier.verify(&future).await.expect_err("valid in 5 min");
    assert!(matches!(error, JwtError::NotYetValid), "{error}");
    let skewed = hs256(SECRET, &with(good_claims(), "nbf", json!(now() + 30)));
    verifier
        .verify(&skewed)
        .await
        .expect("30 s is within the leeway");
}

#[tokio::test]
async fn missing_exp_is_refused() {
    let verifier = secret_verifier().await;
    let token = hs256(SECRET, &without(good_claims(), "exp"));
    let error = verifier.verify(&token).await.expect_err("exp is required");
    assert!(matches!(error, JwtError::Malformed(_)), "{error}");
}

#[tokio::test]
async fn wrong_or_missing_issuer_is_refused() {
    let verifier = secret_verifier().await;
    for claims in [
        with(good_claims(), "iss", json!("https://evil.example")),
        without(good_claims(), "iss"),
    ] {
        let error = verifier
            .verify(&hs256(SECRET, &claims))
            .await
            .expect_err("bad iss");
        assert!(matches!(error, JwtError::WrongIssuer), "{claims}: {error}");
    }
}

#[tokio::test]
async fn wrong_or_missing_audience_is_refused() {
    let verifier = secret_verifier().await;
    for claims in [
        with(good_claims(), "aud", json!("another-api")),
        with(good_claims(), "aud", json!(["another-api", "a-third"])),
        without(good_claims(), "aud"),
    ] {
        let error = verifier
            .verify(&hs256(SECRET, &claims))
            .await
            .expect_err("bad aud");
        assert!(
            matches!(error, JwtError::WrongAudience),
            "{claims}: {error}"
        );
    }
    let listed = with(good_claims(), "aud", json!(["another-api", AUDIENCE]));
    verifier
        .verify(&hs256(SECRET, &listed))
        .await
        .expect("an aud array holding ours is fine");
}

#[tokio::test]
async fn any_audience_is_accepted_when_none_is_configured() {
    let verifier = JwtVerifier::new(JwtConfig {
        hs256_secret: Some(SECRET.into()),
        ..JwtConfig::default()
    })
    .await
    .expect("a secret is a valid key source");
    let token = hs256(SECRET, &with(good_claims(), "aud", json!("anything")));
    verifier
        .verify(&token)
        .await
        .expect("no audience is configured");
}

#[tokio::test]
async fn forged_signature_is_refused() {
    let genuine = rsa_key(&RSA_MAIN, "rsa-1");
    let forger = rsa_key(&RSA_OTHER, "rsa-1");
    let (verifier, _file) = file_verifier(&jwks(&[&genuine])).await;
    let token = sign(&forger, Some("rsa-1"), &good_claims());
    let error = verifier
        .verify(&token)
        .await
        .expect_err("signed by another key");
    assert!(matches!(error, JwtError::BadSignature), "{error}");
    assert_eq!(error.reason(), "bad signature");
}

#[tokio::test]
async fn unknown_kid_is_refused() {
    let known = ec_key("ec-known");
    let stranger = ec_key("ec-stranger");
    let (verifier, _file) = file_verifier(&jwks(&[&known])).await;
    let token = sign(&stranger, Some("ec-stranger"), &good_claims());
    let error = verifier
        .verify(&token)
        .await
        .expect_err("the kid is not in the JWKS");
    assert!(
        matches!(&error, JwtError::UnknownKey(Some(kid)) if kid == "ec-stranger"),
        "{error}"
    );
}

#[tokio::test]
async fn token_without_kid_uses_the_only_key_for_its_algorithm() {
    let ec = ec_key("ec-1");
    let rsa = rsa_key(&RSA_MAIN, "rsa-1");
    let (verifier, _file) = file_verifier(&jwks(&[&ec, &rsa])).await;
    verifier
        .verify(&sign(&ec, None, &good_claims()))
        .await
        .expect("one P-256 key in the set");
    let second_ec = ec_key("ec-2");
    let (ambiguous, _file) = file_verifier(&jwks(&[&ec, &second_ec])).await;
    let error = ambiguous
        .verify(&sign(&ec, None, &good_claims()))
        .await
        .expect_err("two P-256 keys and no kid");
    assert!(matches!(error, JwtError::UnknownKey(None)), "{error}");
}

#[tokio::test]
async fn encryption_keys_are_ignored() {
    let signing = ec_key("ec-sig");
    let mut encryption = ec_key("ec-enc");
    encryption.jwk["use"] = json!("enc");
    let (verifier, _file) = file_verifier(&jwks(&[&signing, &encryption])).await;
    let error = verifier
        .verify(&sign(&encryption, Some("ec-enc"), &good_claims()))
        .await
        .expect_err("an encryption key does not verify tokens");
    assert!(matches!(error, JwtError::UnknownKey(_)), "{error}");
}

#[tokio::test]
async fn alg_none_is_refused() {
    let (verifier, _file) = file_verifier(&jwks(&[&ec_key("ec-1")])).await;
    let secret = secret_verifier().await;
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(good_claims().to_string());
    for token in [
        format!("{header}.{payload}."),
        format!("{header}.{payload}"),
    ] {
        for verifier in [&verifier, &secret] {
            let error = verifier.verify(&token).await.expect_err("alg none");
            assert!(
                matches!(
                    error,
                    JwtError::AlgorithmNotAccepted(_) | JwtError::Malformed(_)
                ),
                "{error}"
            );
        }
    }
    let error = secret
        .verify(&format!("{header}.{payload}."))
        .await
        .expect_err("alg none");
    assert_eq!(error.reason(), "algorithm not accepted");
}

#[tokio::test]
async fn hs256_is_refused_when_only_a_jwks_is_configured() {
    let rsa = rsa_key(&RSA_MAIN, "rsa-1");
    let (verifier, _file) = file_verifier(&jwks(&[&rsa])).await;
    let error = verifier
        .verify(&hs256(SECRET, &good_claims()))
        .await
        .expect_err("no secret is configured");
    assert!(
        matches!(error, JwtError::AlgorithmNotAccepted(_)),
        "{error}"
    );
}

#[tokio::test]
async fn rs256_is_refused_when_only_a_secret_is_configured() {
    let verifier = secret_verifier().await;
    let token = sign(&rsa_key(&RSA_MAIN, "rsa-1"), Some("rsa-1"), &good_claims());
    let error = verifier
        .verify(&token)
        .await
        .expect_err("no JWKS is configured");
    assert!(
        matches!(error, JwtError::AlgorithmNotAccepted(_)),
        "{error}"
    );
}

/// The classic confusion attack: HMAC keyed with the public key's published bytes.
#[tokio::test]
async fn hs256_keyed_with_a_public_key_is_refused_with_both_sources() {
    let rsa = rsa_key(&RSA_MAIN, "rsa-1");
    let mut file = tempfile::NamedTempFile::new().expect("the temp dir is writable");
    file.write_all(jwks(&[&rsa]).to_string().as_bytes())
        .expect("the temp file is writable");
    let verifier = JwtVerifier::new(JwtConfig {
        hs256_secret: Some(SECRET.into()),
        jwks_file: Some(file.path().to_owned()),
        ..config()
    })
    .await
    .expect("both key sources are valid");
    let public = rsa.jwk["n"].as_str().expect("the JWK has a modulus");
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("rsa-1".into());
    let token = jsonwebtoken::encode(
        &header,
        &good_claims(),
        &EncodingKey::from_secret(public.as_bytes()),
    )
    .expect("test claims sign");
    let error = verifier
        .verify(&token)
        .await
        .expect_err("HMAC with a public key");
    assert!(matches!(error, JwtError::BadSignature), "{error}");
}

#[tokio::test]
async fn key_rotation_through_unknown_kid_reload() {
    let old = ec_key("ec-old");
    let new = ec_key("ec-new");
    let server = JwksServer::start(jwks(&[&old])).await;
    let verifier = server.verifier(Duration::from_secs(600)).await;
    let old_token = sign(&old, Some("ec-old"), &good_claims());
    verifier
        .verify(&old_token)
        .await
        .expect("the old key is published");

    server.publish(Some(jwks(&[&new])));
    let new_token = sign(&new, Some("ec-new"), &good_claims());
    verifier
        .verify(&new_token)
        .await
        .expect("the unknown kid makes the verifier reload");
    assert_eq!(server.hits(), 2);
    let error = verifier
        .verify(&old_token)
        .await
        .expect_err("the old key was removed");
    assert!(matches!(error, JwtError::UnknownKey(_)), "{error}");
}

#[tokio::test]
async fn unknown_kids_reload_at_most_once_per_cooldown() {
    let known = ec_key("ec-1");
    let server = JwksServer::start(jwks(&[&known])).await;
    let verifier = server.verifier(Duration::from_secs(600)).await;
    for attempt in 0..5 {
        let stranger = ec_key(&format!("stranger-{attempt}"));
        let token = sign(
            &stranger,
            Some(&format!("stranger-{attempt}")),
            &good_claims(),
        );
        assert!(matches!(
            verifier.verify(&token).await,
            Err(JwtError::UnknownKey(_))
        ));
    }
    assert_eq!(server.hits(), 2, "one load at start, one reload");
}

#[tokio::test]
async fn refresh_task_reloads_keys_and_keeps_them_on_failure() {
    let old = ec_key("ec-old");
    let new = ec_key("ec-new");
    let server = JwksServer::start(jwks(&[&old])).await;
    let verifier = server.verifier(Duration::from_secs(1)).await;
    // Spend the on-demand reload, so only the timer can bring the new key in.
    let stranger = ec_key("stranger");
    let probe = sign(&stranger, Some("stranger"), &good_claims());
    assert!(verifier.verify(&probe).await.is_err());
    let refresh = verifier.spawn_refresh();

    server.publish(None);
    wait_for_hits(&server, 3).await;
    let old_token = sign(&old, Some("ec-old"), &good_claims());
    verifier
        .verify(&old_token)
        .await
        .expect("a failed refresh keeps the keys");

    server.publish(Some(jwks(&[&new])));
    let hits = server.hits();
    wait_for_hits(&server, hits + 1).await;
    let new_token = sign(&new, Some("ec-new"), &good_claims());
    verifier
        .verify(&new_token)
        .await
        .expect("the timer loaded the new key");
    refresh.abort();
}

async fn wait_for_hits(server: &JwksServer, hits: usize) {
    for _ in 0..100 {
        if server.hits() >= hits {
            // Let the reload that made the request store its result.
            tokio::time::sleep(Duration::from_millis(100)).await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the JWKS was fetched {} times, expected {hits}",
        server.hits()
    );
}

#[tokio::test]
async fn unreadable_key_source_at_start_is_an_error() {
    let server = JwksServer::start(json!({"keys": []})).await;
    let dir = tempfile::tempdir().expect("the temp dir is writable");
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "not json").expect("the temp dir is writable");
    let sources = [
        (None, Some(dir.path().join("missing.json"))),
        (None, Some(garbage)),
        (Some(server.url.clone()), None),
        (Some("http://127.0.0.1:1/jwks.json".to_owned()), None),
    ];
    for (jwks_url, jwks_file) in sources {
        let described = format!("{jwks_url:?} {jwks_file:?}");
        let error = JwtVerifier::new(JwtConfig {
            jwks_url,
            jwks_file,
            ..config()
        })
        .await
        .expect_err("the key source is unusable");
        assert!(
            matches!(error, JwtError::KeySource(_)),
            "{described}: {error}"
        );
        assert_eq!(error.reason(), "signing keys unavailable");
    }
}

#[tokio::test]
async fn missing_or_empty_subject_is_refused() {
    let verifier = secret_verifier().await;
    for claims in [
        without(good_claims(), "sub"),
        with(good_claims(), "sub", json!("")),
    ] {
        let error = verifier
            .verify(&hs256(SECRET, &claims))
            .await
            .expect_err("no sub");
        assert!(matches!(error, JwtError::NoSubject), "{claims}: {error}");
    }
}

#[tokio::test]
async fn scope_and_scp_are_both_parsed() {
    let verifier = secret_verifier().await;
    let spaced = with(good_claims(), "scope", json!("editor  admin"));
    let claims = verifier
        .verify(&hs256(SECRET, &spaced))
        .await
        .expect("valid");
    assert_eq!(claims.scopes, ["admin", "editor"].map(String::from).into());

    let listed = with(
        with(good_claims(), "scp", json!(["editor"])),
        "azp",
        json!("web"),
    );
    let claims = verifier
        .verify(&hs256(SECRET, &listed))
        .await
        .expect("valid");
    assert_eq!(claims.scopes, ["editor"].map(String::from).into());
    assert_eq!(claims.client.as_deref(), Some("web"));

    let client_id = with(good_claims(), "client_id", json!("cli"));
    let claims = verifier
        .verify(&hs256(SECRET, &client_id))
        .await
        .expect("valid");
    assert_eq!(claims.client.as_deref(), Some("cli"));
}

#[tokio::test]
async fn mint_hs256_round_trips() {
    let dev = DevToken {
        subject: "dev-user".into(),
        scopes: vec!["editor".into(), "admin".into()],
        issuer: Some(ISSUER.into()),
        audience: Some(AUDIENCE.into()),
        ttl: Duration::from_secs(3600),
    };
    let token = mint_hs256(SECRET, &dev).expect("the dev token signs");
    let claims = secret_verifier().await.verify(&token).await.expect("valid");
    assert_eq!(claims.subject, "dev-user");
    assert_eq!(claims.scopes, ["admin", "editor"].map(String::from).into());
    let expected = u64::try_from(now()).expect("positive") + 3600;
    assert!(
        claims.expires_at.abs_diff(expected) <= 2,
        "{}",
        claims.expires_at
    );

    let error = secret_verifier()
        .await
        .verify(&mint_hs256("another-secret", &dev).expect("signs"))
        .await
        .expect_err("signed with another secret");
    assert!(matches!(error, JwtError::BadSignature), "{error}");
    assert!(matches!(mint_hs256("", &dev), Err(JwtError::Config(_))));
}
