//! The compact form of the imported Italian list: written at import, giving the same anchors
//! as the XML, and set aside (the XML read instead) when damaged or when the list changed.

mod common;

use sportello::trust::store::Store;

fn anchors(store: &Store) -> Vec<(Vec<u8>, String)> {
    let (trust, stale) = store
        .load(time::OffsetDateTime::now_utc())
        .expect("the store loads");
    assert_eq!(stale.len(), 1, "the 2023 list is stale either way");
    trust
        .anchors
        .into_iter()
        .map(|a| {
            (
                a.der,
                format!("{} {:?} {:?}", a.source, a.granted, a.service),
            )
        })
        .collect()
}

#[test]
fn the_compact_form_matches_the_list_and_steps_aside_when_it_does_not() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let shared = common::shared_dir();
    let store = Store::open(tmp.path());
    store
        .import(&[
            shared.join("trust/EU-LOTL_seq332_2023-09-27.xml"),
            shared.join("trust/TSL-IT_seq194_2023-09-26.xml"),
        ])
        .expect("import");
    let compact = tmp.path().join("trust/lists/IT.compact");
    let xml = tmp.path().join("trust/lists/IT.xml");
    assert!(compact.is_file(), "written at import");
    let fast = anchors(&store);
    assert!(fast.len() > 50, "{} anchors", fast.len());

    // Without it, the XML gives exactly the same anchors.
    let saved = std::fs::read(&compact).expect("read");
    std::fs::remove_file(&compact).expect("remove");
    assert_eq!(anchors(&store), fast);

    // Damaged: ignored.
    let mut damaged = saved.clone();
    let end = damaged.len() - 1;
    damaged[end] ^= 0xff;
    damaged.truncate(damaged.len() / 2);
    std::fs::write(&compact, &damaged).expect("write");
    assert_eq!(anchors(&store), fast);

    // A compact form that no longer matches the list file (the list was replaced by hand
    // with other bytes): the list's XML is what counts.
    std::fs::write(&compact, &saved).expect("write");
    let list = std::fs::read(&xml).expect("read");
    std::fs::write(&xml, &list[..list.len() / 2]).expect("write");
    assert!(
        store.load(time::OffsetDateTime::now_utc()).is_err(),
        "the truncated XML is read (and refused) instead of the stale compact form"
    );
}
