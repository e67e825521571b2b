//! Speed of the case vault against the targets (issue 6):
//! - encrypted submission: at least 200 per second on the machine's two cores;
//! - a handler's list of 10,000 cases, decrypted: under 1 s.
//!
//! `cargo bench -p prongsai-vault`. Figures are recorded in `docs/PERFORMANCE.md`.

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "../src/test_rng.rs"]
mod test_rng;

use criterion::{Criterion, criterion_group, criterion_main};
use test_rng::rng;

use prongsai_vault::{
    CaseKey, InstanceKey, KdfParams, PublicKey, Receipt, RecoveryKey, SealedKey, SecretKey, context,
};

/// A 2 KB report of Thai text.
fn report() -> Vec<u8> {
    let line = "ขอร้องเรียนเรื่องการจัดซื้อจัดจ้างโครงการถนนคอนกรีตเสริมเหล็ก หมู่ที่ ๓ ";
    let mut s = String::new();
    while s.len() < 2048 {
        s.push_str(line);
    }
    s.into_bytes()
}

struct Agency {
    handlers: Vec<PublicKey>,
    recovery: PublicKey,
    instance: InstanceKey,
}

fn agency() -> Agency {
    let r = rng(1);
    Agency {
        handlers: (0..3)
            .map(|_| SecretKey::generate(&r).public_key())
            .collect(),
        recovery: RecoveryKey::generate(&r).public_key(),
        instance: InstanceKey::generate(&r),
    }
}

/// Everything the server does with keys for one anonymous submission: a case key, a receipt
/// (lookup id, Argon2id enrolment), the case key sealed to 3 handlers, the recovery key and
/// the reporter, and the report encrypted.
fn submit(a: &Agency, text: &[u8], r: &impl Fn(&mut [u8])) -> (Vec<SealedKey>, Vec<u8>) {
    let key = CaseKey::generate(r);
    let receipt = Receipt::generate(r);
    let lookup = receipt.lookup_id(&a.instance);
    let (record, _reporter) = receipt.enroll(KdfParams::RECEIPT, r).expect("enrol");
    let mut recipients = a.handlers.clone();
    recipients.push(a.recovery);
    recipients.push(record.public_key());
    let ctx = context(&[b"case-key", b"agency", &lookup.to_bytes(), b"1"]);
    let sealed = key.seal_to_all(&recipients, &ctx, r).expect("seal");
    let aad = context(&[b"case-text", b"agency", &lookup.to_bytes()]);
    let ct = key.encrypt(&aad, text, r).expect("encrypt");
    (sealed, ct)
}

fn submission(c: &mut Criterion) {
    let a = agency();
    let text = report();
    let r = rng(2);
    let mut group = c.benchmark_group("submission");
    group.sample_size(20);
    group.bench_function("seal to 3 handlers + encrypt 2 KB (no receipt)", |b| {
        b.iter(|| {
            let key = CaseKey::generate(&r);
            let sealed = key.seal_to_all(&a.handlers, b"ctx", &r).expect("seal");
            let ct = key.encrypt(b"aad", black_box(&text), &r).expect("encrypt");
            (sealed, ct)
        });
    });
    group.bench_function(
        "receipt: generate, lookup id, enrol (Argon2id 4 MiB, 1 pass)",
        |b| {
            b.iter(|| {
                let receipt = Receipt::generate(&r);
                let id = receipt.lookup_id(&a.instance);
                (id, receipt.enroll(KdfParams::RECEIPT, &r).expect("enrol"))
            });
        },
    );
    group.bench_function("whole submission (receipt + 5 seals + 2 KB)", |b| {
        b.iter(|| submit(&a, black_box(&text), &r));
    });
    group.sample_size(10);
    group.bench_function("200 whole submissions on 2 threads", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                std::thread::scope(|s| {
                    for t in 0..2u64 {
                        let a = &a;
                        let text = &text;
                        s.spawn(move || {
                            let r = rng(100 + t);
                            for _ in 0..100 {
                                black_box(submit(a, text, &r));
                            }
                        });
                    }
                });
                total += start.elapsed();
            }
            total
        });
    });
    group.finish();
}

fn handler(c: &mut Criterion) {
    let r = rng(3);
    let me = SecretKey::generate(&r);
    let wrapped = me
        .wrap(b"a handler's password", KdfParams::HANDLER, &r)
        .expect("wrap");
    // 10,000 cases, each with its key sealed to this handler and a short encrypted title.
    let cases: Vec<(Vec<u8>, SealedKey, Vec<u8>)> = (0..10_000u32)
        .map(|i| {
            let id = i.to_be_bytes().to_vec();
            let key = CaseKey::generate(&r);
            let sealed = key
                .seal_to(&me.public_key(), &context(&[b"case-key", &id]), &r)
                .expect("seal");
            let title = format!("ร้องเรียนการจัดซื้อจัดจ้าง เรื่องที่ {i}");
            let ct = key
                .encrypt(&context(&[b"case-title", &id]), title.as_bytes(), &r)
                .expect("encrypt");
            (id, sealed, ct)
        })
        .collect();
    let mut group = c.benchmark_group("handler");
    group.sample_size(10);
    group.bench_function(
        "unlock private key (Argon2id 19 MiB, 2 passes), once a session",
        |b| {
            b.iter(|| {
                wrapped
                    .unlock(black_box(b"a handler's password"))
                    .expect("unlock")
            });
        },
    );
    group.bench_function("open 10,000 case keys + decrypt 10,000 titles", |b| {
        b.iter(|| {
            let mut bytes = 0usize;
            for (id, sealed, ct) in &cases {
                let key = sealed
                    .open(&me, &context(&[b"case-key", id]))
                    .expect("open");
                bytes += key
                    .decrypt(&context(&[b"case-title", id]), ct)
                    .expect("decrypt")
                    .len();
            }
            bytes
        });
    });
    group.bench_function("the same on 2 threads", |b| {
        b.iter(|| {
            let (first, second) = cases.split_at(cases.len() / 2);
            std::thread::scope(|s| {
                for part in [first, second] {
                    let me = &me;
                    s.spawn(move || {
                        for (id, sealed, ct) in part {
                            let key = sealed.open(me, &context(&[b"case-key", id])).expect("open");
                            black_box(
                                key.decrypt(&context(&[b"case-title", id]), ct)
                                    .expect("decrypt"),
                            );
                        }
                    });
                }
            });
        });
    });
    group.finish();
}

criterion_group!(benches, submission, handler);
criterion_main!(benches);
