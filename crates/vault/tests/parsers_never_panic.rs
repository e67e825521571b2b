//! No parser panics on any input, text or bytes.

use prongsai_vault::{
    CaseKey, InstanceKey, PowChallenge, Receipt, ReceiptRecord, RecoveryKey, SealedKey, SecretKey,
    WrappedSecretKey,
};
use proptest::prelude::*;

fn fixed(buf: &mut [u8]) {
    for (i, b) in buf.iter_mut().enumerate() {
        *b = u8::try_from(i % 251).unwrap_or(0) ^ 0x5a;
    }
}

proptest! {
    #[test]
    fn text_parsers(s in "\\PC*") {
        let _ = Receipt::parse(&s);
        let _ = RecoveryKey::parse(&s);
        let _ = PowChallenge::parse(&s);
        let key = InstanceKey::from_bytes([3; 32]);
        let _ = PowChallenge::verify(&key, &s, 0, 0, 0);
    }

    #[test]
    fn receipt_like_text(s in "[0-9๐-๙ \\-]{0,40}") {
        if let Ok(r) = Receipt::parse(&s) {
            // What parses prints and parses back to the same lookup id.
            let key = InstanceKey::from_bytes([1; 32]);
            let again = Receipt::parse(&r.to_text()).unwrap();
            prop_assert_eq!(again.lookup_id(&key), r.lookup_id(&key));
        }
    }

    #[test]
    fn recovery_like_text(s in "[0-9A-Za-z \\-]{50,70}") {
        if let Ok(k) = RecoveryKey::parse(&s) {
            let again = RecoveryKey::parse(&k.to_text()).unwrap();
            prop_assert_eq!(again.public_key(), k.public_key());
        }
    }

    #[test]
    fn binary_parsers(bytes in proptest::collection::vec(any::<u8>(), 0..200), kind in prop::sample::select(vec![b'W', b'S', b'R', b'C', b'K'])) {
        let mut b = bytes;
        if b.len() >= 2 {
            b[0] = kind;
            b[1] = 1;
        }
        let sk = SecretKey::generate(&fixed);
        if let Ok(w) = WrappedSecretKey::from_bytes(&b) {
            // Only cheap parameters are worth running here.
            if w.params().memory_kib() <= 64 && w.params().passes() <= 2 {
                let _ = w.unlock(b"pw");
            }
        }
        if let Ok(s) = SealedKey::from_bytes(&b) {
            let _ = s.open(&sk, b"ctx");
        }
        let _ = ReceiptRecord::from_bytes(&b);
        let _ = SecretKey::unwrap_from_session(&b, b"cookie");
        let _ = CaseKey::generate(&fixed).decrypt(b"aad", &b);
    }
}
