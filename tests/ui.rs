//! The desktop app driven headless with egui_kittest on a temporary database: widgets are found
//! by role and label, clicked and typed into, like a user would.
#![allow(clippy::unwrap_used, reason = "a test or bench fails loudly on a broken fixture")]

use std::path::Path;
use std::time::{Duration, Instant};

use bole::app::BoleApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(db: &Path) -> Harness<'static, BoleApp> {
    let db = db.to_path_buf();
    Harness::builder()
        .with_size([1400.0, 900.0])
        .with_context_setup(bole::app::fonts::install)
        .build_eframe(move |cc| BoleApp::new(cc, db, true))
}

/// Steps frames until the condition holds (the engine works on its own thread).
fn wait(h: &mut Harness<'static, BoleApp>, what: &str, cond: impl Fn(&BoleApp) -> bool) {
    let start = Instant::now();
    loop {
        h.step();
        if cond(h.state()) {
            h.run_steps(2);
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(15));
    }
}

/// Steps frames until a widget with this role and label is shown (a window opened by a click
/// appears after its sizing pass).
fn shown(h: &mut Harness<'static, BoleApp>, role: Role, label: &str) {
    for _ in 0..10 {
        if h.query_by_role_and_label(role, label).is_some() {
            return;
        }
        h.step();
    }
    panic!("no {role:?} labelled {label}");
}

/// Clicks an input (to focus it) and types into it.
fn type_into(h: &mut Harness<'static, BoleApp>, role: Role, label: &str, text: &str) {
    shown(h, role, label);
    h.get_by_role_and_label(role, label).focus();
    h.run_steps(2);
    h.get_by_role_and_label(role, label).type_text(text);
    h.run_steps(2);
}

fn loaded(h: &mut Harness<'static, BoleApp>) {
    wait(h, "demo data loaded", |a| a.state.ready && a.state.lists.experts.len() > 300);
}

/// Opens 匹配建议 for a demand and waits for at least `n` suggestions.
fn open_suggestions(h: &mut Harness<'static, BoleApp>, demand: &str, n: usize) {
    h.get_by_label("匹配建议").click();
    h.run_steps(2);
    let title = h.state().state.lists.demands.iter().find(|d| d.ext_id == demand).unwrap().title.clone();
    h.get_by_label_contains(&title).click();
    wait(h, "suggestions", |a| a.state.matches.results.as_ref().is_some_and(|r| r.len() >= n));
}

#[test]
fn search_finds_an_expert_as_you_type() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"));
    loaded(&mut h);
    type_into(&mut h, Role::TextInput, "搜索专家", "六氟磷酸锂");
    wait(&mut h, "search results", |a| a.state.experts.hits.as_ref().is_some_and(|x| !x.is_empty()));
    let first = h.state().state.experts.hits.as_ref().unwrap()[0].id;
    let name = h.state().state.lists.experts.iter().find(|e| e.id == first).unwrap().name.clone();
    h.get_by_label(&name);
    h.get_by_label("命中词");
    assert!(h.query_by_label_contains("找到").is_some());
}

#[test]
fn clicking_a_row_shows_its_details_and_keys_move_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"));
    loaded(&mut h);
    let second = h.state().state.lists.experts[1].clone();
    h.get_by_label(&second.ext_id).click();
    wait(&mut h, "detail of the clicked row", |a| a.state.expert_detail.as_ref().is_some_and(|e| e.id == second.id));
    assert!(h.query_by_label("推荐需求").is_some());
    h.key_press(egui::Key::ArrowDown);
    let third = h.state().state.lists.experts[2].id;
    wait(&mut h, "next row selected", |a| a.state.experts.selected == Some(third));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
    h.run_steps(2);
    assert_eq!(h.state().state.tab, bole::app::Tab::Matches, "Ctrl+3 opens 匹配建议");
}

#[test]
fn a_demand_shows_ranked_experts_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"));
    loaded(&mut h);
    open_suggestions(&mut h, "XQ2024-001", 1);
    assert!(h.query_all_by_label_contains("匹配度").count() >= 3);
    assert!(h.query_all_by_label_contains("命中：").count() > 0, "reason chips show the matched terms");
    assert!(h.query_all_by_label_contains("依据：").count() > 0, "the evidence sentence is shown");
    // The demo's history already pairs some of these experts with the demand.
    let (listed, pairings) =
        (h.query_all_by_label_contains("已在对接清单").count(), h.state().state.lists.pairings.len());
    h.get_all_by_label("加入对接").next().unwrap().click();
    wait(&mut h, "pairing saved", |a| a.state.lists.pairings.len() > pairings);
    h.run_steps(2);
    assert_eq!(h.query_all_by_label_contains("已在对接清单").count(), listed + 1);
}

#[test]
fn any_pair_is_scored_with_its_rank_and_strength() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"));
    loaded(&mut h);
    open_suggestions(&mut h, "XQ2024-001", 4);
    // The third suggestion, asked for by its 编号, comes back ranked third.
    let third = h.state().state.matches.results.as_ref().unwrap()[2].clone();
    type_into(&mut h, Role::TextInput, "单独评估专家", &third.ext_id);
    h.get_by_label("评估").click();
    wait(&mut h, "pair scored", |a| matches!(&a.state.matches.pair, Some(Ok(_))));
    assert!(h.query_by_label_contains("在推荐中排第 3 位").is_some());
    let label = format!("匹配度 {:.1} · {}", third.score, third.strength.label());
    assert!(h.query_all_by_label_contains(&label).count() >= 2, "the card repeats the suggestion's score and strength");
    // A name that is nowhere in the pool says so.
    h.get_by_role_and_label(Role::TextInput, "单独评估专家").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "单独评估专家").type_text("查无此人");
    h.run_steps(2);
    h.get_by_label("评估").click();
    h.run_steps(2);
    assert!(h.query_by_label_contains("没有找到专家「查无此人」").is_some());
}

#[test]
fn an_edit_is_saved_and_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    let id;
    {
        let mut h = harness(&db);
        loaded(&mut h);
        id = h.state().state.lists.experts[0].id;
        h.state_mut().state.select(bole::search::RecordKind::Expert, id);
        wait(&mut h, "detail", |a| a.state.expert_detail.as_ref().is_some_and(|e| e.id == id));
        h.get_by_label("编辑").click();
        h.run_steps(2);
        type_into(&mut h, Role::MultilineTextInput, "备注", "（已电话联系）");
        // Activated the way a keyboard or screen-reader user does (the focused text box keeps
        // the pointer click of the same frame in kittest).
        h.get_by_label("保存").click_accesskit();
        wait(&mut h, "saved", |a| {
            a.state.form.is_none() && a.state.expert_detail.as_ref().is_some_and(|e| e.note.contains("已电话联系"))
        });
    }
    let mut h = harness(&db);
    wait(&mut h, "reopened", |a| a.state.ready && !a.state.lists.experts.is_empty());
    h.state_mut().state.select(bole::search::RecordKind::Expert, id);
    wait(&mut h, "detail after restart", |a| a.state.expert_detail.as_ref().is_some_and(|e| e.id == id));
    assert!(h.state().state.expert_detail.as_ref().unwrap().note.contains("已电话联系"));
    assert!(h.query_by_label_contains("已电话联系").is_some());
}

#[test]
fn an_import_with_bad_rows_shows_the_rejected_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"));
    loaded(&mut h);
    h.get_by_label("导入名单…").click();
    h.run_steps(2);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/experts_bad_rows.xlsx");
    type_into(&mut h, Role::TextInput, "文件", fixture.to_str().unwrap());
    h.get_by_label("预览").click();
    wait(&mut h, "import preview", |a| a.state.import.as_ref().is_some_and(|w| w.plan.is_some()));
    assert!(h.query_by_label_contains("拒绝 5 条").is_some());
    assert!(h.query_by_label_contains("邮箱格式不正确").is_some());
    assert!(h.query_by_label("保存被拒绝的行…").is_some());
    h.get_by_label("导入").click();
    wait(&mut h, "import done", |a| a.state.import.as_ref().is_some_and(|w| w.done.is_some()));
    wait(&mut h, "lists reloaded", |a| a.state.lists.experts.iter().any(|e| e.ext_id == "B007"));
}

#[test]
fn undo_restores_a_deleted_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"));
    loaded(&mut h);
    let n = h.state().state.lists.experts.len();
    let row = h.state().state.lists.experts[3].clone();
    h.state_mut().state.select(bole::search::RecordKind::Expert, row.id);
    wait(&mut h, "detail", |a| a.state.expert_detail.as_ref().is_some_and(|e| e.id == row.id));
    h.key_press(egui::Key::Delete);
    h.run_steps(2);
    h.get_by_label_contains("确定删除专家");
    h.get_by_role_and_label(Role::Button, "确定删除").click();
    wait(&mut h, "deleted", |a| a.state.lists.experts.len() == n - 1);
    h.get_by_label("撤销").click();
    wait(&mut h, "restored", |a| a.state.lists.experts.len() == n);
    assert!(h.state().state.lists.experts.iter().any(|e| e.ext_id == row.ext_id && e.name == row.name));
}

#[test]
fn an_enterprise_is_edited_from_its_demand() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"));
    loaded(&mut h);
    h.get_by_label("企业需求").click();
    h.run_steps(2);
    let d = h.state().state.lists.demands[0].clone();
    h.state_mut().state.select(bole::search::RecordKind::Demand, d.id);
    wait(&mut h, "enterprise detail", |a| {
        a.state.enterprise_detail.as_ref().is_some_and(|e| Some(e.id) == d.enterprise_id)
    });
    h.get_by_label("编辑企业").click();
    h.run_steps(2);
    type_into(&mut h, Role::TextInput, "联系人", "（新）");
    h.get_by_label("保存").click_accesskit();
    wait(&mut h, "enterprise saved", |a| {
        a.state.form.is_none() && a.state.enterprise_detail.as_ref().is_some_and(|e| e.contact.ends_with("（新）"))
    });
}

#[test]
fn a_meeting_is_created_paired_scheduled_and_projected_with_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"));
    loaded(&mut h);
    h.get_by_label("对接会").click();
    h.run_steps(2);
    h.get_by_label("＋ 新建对接会").click();
    h.run_steps(2);
    // The defaults: 9:00-11:30 in 20-minute slots, 12 tables, 30 demands, 60 experts.
    h.get_by_role_and_label(Role::TextInput, "地点").focus();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "地点").type_text("县行政服务中心三楼");
    h.run_steps(2);
    // The date defaults to today; a meeting in session would open the projector on the running
    // slot (a unit test in app::meetings), so this one is held on a day that is never today.
    h.get_by_role_and_label(Role::TextInput, "日期").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "日期").type_text("2099-12-05");
    h.run_steps(2);
    h.get_by_label("创建").click_accesskit();
    wait(&mut h, "meeting created", |a| a.state.meetings.current().is_some_and(|d| d.plan.experts.len() == 60));
    assert_eq!(h.state().state.meetings.current().unwrap().plan.demands.len(), 30);
    assert_eq!(h.state().state.meetings.current().unwrap().meeting().venue, "县行政服务中心三楼");
    assert_eq!(h.state().state.meetings.current().unwrap().meeting().date, "2099-12-05");

    h.get_by_label("自动配对").click();
    wait(&mut h, "paired", |a| a.state.meetings.current().is_some_and(|d| d.plan.pairs.len() >= 30));
    assert!(h.query_by_label_contains("配对完成").is_some(), "the status line reports the result");
    let (first_expert, first_demand) = {
        let d = h.state().state.meetings.current().unwrap().clone();
        let p = d.pairs_by_time()[0].clone();
        (d.experts[&p.expert_id].name.clone(), d.demands[&p.demand_id].ext_id.clone())
    };
    assert!(h.query_all_by_label_contains(&first_expert).count() > 0, "pairs are listed");
    assert!(h.query_all_by_label(&first_demand).count() > 0);

    h.get_by_label("排日程").click();
    wait(&mut h, "scheduled", |a| a.state.meetings.current().is_some_and(|d| d.plan.is_scheduled()));
    h.get_by_label("日程（时段 × 桌）").click();
    h.run_steps(2);
    assert!(h.query_by_label("1 号桌").is_some(), "the slot × table grid is shown");

    // Projection: the cover first, then the board of slot 1; the clicker's PageDown turns pages, Esc leaves.
    h.get_by_label("投屏模式").click();
    h.run_steps(2);
    assert_eq!(h.state().state.meetings.projection.as_ref().map(|p| p.page), Some(0));
    assert!(h.query_by_label_contains("家企业").is_some(), "the cover");
    h.key_press(egui::Key::PageDown);
    h.run_steps(2);
    assert!(h.query_by_label_contains("第 1 时段").is_some());
    assert!(h.query_all_by_label_contains("@").next().is_none(), "no e-mail on the projector");
    h.key_press(egui::Key::PageDown);
    h.run_steps(2);
    assert!(h.query_by_label_contains("第 2 时段").is_some());
    h.key_press(egui::Key::Space);
    h.key_press(egui::Key::PageUp);
    h.run_steps(2);
    assert_eq!(h.state().state.meetings.projection.as_ref().unwrap().page, 2);
    h.key_press(egui::Key::End);
    h.run_steps(2);
    // The last page is a demand page: its experts and their reasons, never a phone number.
    let d = h.state().state.meetings.current().unwrap().clone();
    let last = d.plan.demands.iter().rev().find(|x| d.plan.pairs.iter().any(|p| p.demand_id == x.demand_id)).unwrap();
    assert!(h.query_by_label_contains(&last.ext_id).is_some());
    for p in d.plan.pairs.iter().filter(|p| p.demand_id == last.demand_id) {
        let e = &d.experts[&p.expert_id];
        assert!(h.query_by_label(&e.name).is_some(), "{} on the demand page", e.name);
        if !e.phone.is_empty() {
            assert!(h.query_all_by_label_contains(&e.phone).next().is_none());
        }
    }
    h.key_press(egui::Key::T);
    h.run_steps(2);
    assert_eq!(h.state().state.meetings.projection.as_ref().unwrap().theme, bole::app::meetings::Theme::Dark);
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(h.state().state.meetings.projection.is_none());
    assert!(h.query_by_label("排日程").is_some(), "back in the meeting view");
}

#[test]
fn settings_clears_the_demo_data_after_a_confirmation_and_the_log_undoes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"));
    loaded(&mut h);
    assert!(h.query_by_label("含演示数据").is_some(), "the status bar says demo data is present");
    h.get_by_label("设置").click();
    wait(&mut h, "the log", |a| !a.state.data.log.is_empty());
    assert!(h.query_by_label("还没有备份").is_some(), "a fresh database has no backup yet");
    h.get_by_label("清除演示数据…").click();
    shown(&mut h, Role::Button, "确认清除");
    h.get_by_label("确认清除").click();
    wait(&mut h, "demo cleared", |a| a.state.lists.experts.is_empty());
    h.run_steps(2);
    assert!(h.query_by_label("含演示数据").is_none());
    h.get_by_label("刷新").click();
    wait(&mut h, "log shows the clearing", |a| {
        a.state.data.log.first().is_some_and(|l| l.head.contains("清除演示数据"))
    });
    h.run_steps(2);
    h.get_all_by_label("撤销").next().unwrap().click();
    shown(&mut h, Role::Button, "确认撤销");
    h.get_by_label("确认撤销").click();
    wait(&mut h, "demo back", |a| a.state.lists.experts.len() == 373 && a.state.lists.demands.len() == 108);
}

#[test]
fn a_missing_file_dialog_offers_a_path_box() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("bole.db"));
    loaded(&mut h);
    let out = dir.path().join("导出").join("专家.xlsx");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    // What the shell sends when the native dialog returns at once.
    h.state_mut().state.update(bole::app::UiMsg::Data(bole::app::data::DataMsg::NoDialog(
        bole::app::data::PathFor::ExportList(bole::domain::RecordKind::Expert),
    )));
    h.run_steps(2);
    type_into(
        &mut h,
        Role::TextInput,
        "无法打开系统的文件选择窗口，请直接输入完整路径（可从资源管理器地址栏复制）",
        out.to_str().unwrap(),
    );
    h.get_by_label("确定").click();
    h.run_steps(2);
    wait(&mut h, "exported", |a| a.state.status.as_ref().is_some_and(|s| s.text.contains("已导出 373 位专家")));
    assert!(out.exists());
}

fn harness_sized(db: &Path, size: [f32; 2]) -> Harness<'static, BoleApp> {
    let db = db.to_path_buf();
    Harness::builder()
        .with_size(size)
        .with_context_setup(bole::app::fonts::install)
        .build_eframe(move |cc| BoleApp::new(cc, db, true))
}

/// Every widget with this label lies inside the window.
fn inside(h: &Harness<'static, BoleApp>, label: &str, size: [f32; 2]) {
    let r = h.get_by_label(label).rect();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(size[0], size[1]));
    assert!(screen.contains_rect(r), "{label} at {r:?} is outside the {size:?} window");
}

/// Hovers a widget for a few frames (so the tooltip of the last widget clicked is gone), then clicks it.
fn click_steady(h: &mut Harness<'static, BoleApp>, label: &str) {
    h.get_by_label(label).hover();
    h.run_steps(4);
    h.get_by_label(label).click();
    h.run_steps(2);
}

#[test]
fn the_edit_form_buttons_stay_on_screen_at_laptop_sizes() {
    for size in [[1280.0, 720.0], [1280.0, 800.0], [1920.0, 1080.0]] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness_sized(&dir.path().join("bole.db"), size);
        loaded(&mut h);
        h.get_by_label("新增专家").click();
        shown(&mut h, Role::Button, "保存");
        h.run_steps(3);
        inside(&h, "保存", size);
        inside(&h, "取消", size);
        // Saved empty: the error appears, the buttons stay.
        click_steady(&mut h, "保存");
        wait(&mut h, "the form's error", |a| a.state.form.as_ref().is_some_and(|f| f.error.is_some()));
        h.run_steps(3);
        inside(&h, "保存", size);
        h.get_by_label("取消").click();
        h.run_steps(2);
        h.get_by_label("企业需求").click();
        h.run_steps(2);
        h.get_by_label("新增需求").click();
        shown(&mut h, Role::Button, "保存");
        click_steady(&mut h, "保存");
        wait(&mut h, "the demand form's error", |a| a.state.form.as_ref().is_some_and(|f| f.error.is_some()));
        h.run_steps(3);
        inside(&h, "保存", size);
        inside(&h, "取消", size);
    }
}

#[test]
fn meeting_participants_are_picked_by_name_and_the_columns_do_not_overlap() {
    let size = [1280.0, 720.0];
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_sized(&dir.path().join("bole.db"), size);
    loaded(&mut h);
    h.get_by_label("对接会").click();
    h.run_steps(2);
    h.get_by_label("＋ 新建对接会").click();
    h.run_steps(2);
    h.get_by_label("创建").click_accesskit();
    wait(&mut h, "meeting created", |a| a.state.meetings.current().is_some());
    h.get_by_label("参会需求与专家").click();
    h.run_steps(3);
    let before = h.state().state.meetings.current().unwrap().plan.demands.len();
    // Demand rows stay in their column: their text is cut, not run under the expert column.
    let rows: Vec<egui::Rect> = h.get_all_by_label_contains("已配").map(|n| n.rect()).collect();
    let first_left = rows.iter().map(|r| r.min.x).fold(f32::MAX, f32::min);
    let (demands, experts): (Vec<egui::Rect>, Vec<egui::Rect>) = rows.iter().partition(|r| r.min.x < first_left + 1.0);
    assert!(!demands.is_empty() && !experts.is_empty(), "{rows:?}");
    let demand_right = demands.iter().map(|r| r.max.x).fold(0.0, f32::max);
    let expert_left = experts.iter().map(|r| r.min.x).fold(f32::MAX, f32::min);
    assert!(demand_right <= expert_left, "demand text runs under the experts: {demand_right} > {expert_left}");
    assert!(rows.iter().all(|r| r.max.x <= size[0] + 1.0), "a row leaves the window");
    let (ext, title) = {
        let st = &h.state().state;
        let d = st.meetings.current().unwrap();
        let row = st.lists.demands.iter().find(|r| !d.plan.demands.iter().any(|m| m.ext_id == r.ext_id)).unwrap();
        (row.ext_id.clone(), row.title.clone())
    };
    type_into(&mut h, Role::TextInput, "加入需求", &title);
    wait(&mut h, "picks", |a| a.state.meetings.demand_picks.iter().any(|(e, _)| *e == ext));
    h.get_all_by_label("加入").next().unwrap().click();
    wait(&mut h, "demand added", |a| a.state.meetings.current().is_some_and(|d| d.plan.demands.len() == before + 1));
    assert!(h.state().state.meetings.current().unwrap().plan.demands.iter().any(|m| m.ext_id == ext));
}

/// A database with the demo data and a meeting of one demand per enterprise in 2 slots × 24
/// tables, paired and scheduled on the command line.
fn big_meeting_db(db: &Path) {
    let run = |args: &[&str]| {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_bole")).arg("--db").arg(db).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["demo"]);
    // One demand per enterprise, one expert each: 41 sittings in 2 slots of 24 tables.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bole"))
        .arg("--db")
        .arg(db)
        .args(["list", "demands", "--json"])
        .output()
        .unwrap();
    let demands: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut firsts: Vec<String> = Vec::new();
    let mut seen_ent = std::collections::BTreeSet::new();
    for d in demands.as_array().unwrap() {
        if seen_ent.insert(d["enterprise"].as_str().unwrap().to_string()) {
            firsts.push(d["id"].as_str().unwrap().to_string());
        }
    }
    let list = firsts.join(",");
    run(&[
        "meeting",
        "create",
        "--name",
        "大型对接会",
        "--time",
        "9:00-9:40",
        "--slot",
        "20",
        "--tables",
        "24",
        "--demands",
        &list,
        "--auto-experts",
        "80",
        "--max",
        "1",
        "--min",
        "1",
        "--cap",
        "1",
    ]);
    run(&["meeting", "assign", "大型对接会"]);
    run(&["meeting", "schedule", "大型对接会"]);
}

#[test]
fn the_projector_pages_24_tables_and_says_where_each_expert_sits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    big_meeting_db(&db);
    for size in [[1024.0, 768.0], [1920.0, 1080.0]] {
        let mut h = harness_sized(&db, size);
        wait(&mut h, "loaded", |a| a.state.ready && !a.state.lists.experts.is_empty());
        h.get_by_label("对接会").click();
        wait(&mut h, "meeting listed", |a| !a.state.meetings.list.is_empty());
        h.get_by_label_contains("大型对接会").click();
        wait(&mut h, "meeting loaded", |a| a.state.meetings.current().is_some());
        let d = h.state().state.meetings.current().unwrap().clone();
        let used = |slot: u32| -> std::collections::BTreeSet<u32> {
            d.plan.pairs.iter().filter(|p| p.slot == Some(slot)).filter_map(|p| p.table).collect()
        };
        assert!(used(0).len().max(used(1).len()) > 12, "a slot uses more tables than one board page holds");
        h.get_by_label("投屏模式").click();
        h.run_steps(2);
        // Every table of every slot appears on one of its board pages, inside the window.
        let pages = bole::app::meetings::pages(&d);
        let mut seen: std::collections::BTreeMap<u32, std::collections::BTreeSet<u32>> = Default::default();
        for (i, page) in pages.iter().enumerate() {
            let bole::app::meetings::Page::Board { slot, .. } = page else { continue };
            h.state_mut().state.meetings.projection.as_mut().unwrap().page = i;
            h.run_steps(2);
            for t in used(*slot) {
                if let Some(n) = h.query_by_label(&format!("{} 号桌", t + 1)) {
                    let r = n.rect();
                    assert!(r.max.y <= size[1] && r.max.x <= size[0], "table {} at {r:?} is off screen", t + 1);
                    seen.entry(*slot).or_default().insert(t);
                }
            }
        }
        for slot in 0..2 {
            assert_eq!(seen.get(&slot).cloned().unwrap_or_default(), used(slot), "slot {slot}: every table is shown");
        }
        // 专家在几号桌: after the boards, the experts by name.
        let at = pages.iter().position(|p| matches!(p, bole::app::meetings::Page::WhereIs { part: 0, .. })).unwrap();
        h.state_mut().state.meetings.projection.as_mut().unwrap().page = at;
        h.run_steps(2);
        assert!(h.query_by_label_contains("专家在几号桌").is_some());
        let first = bole::app::meetings::where_rows(&d).remove(0);
        assert!(h.query_by_label(&first.0).is_some(), "{} listed", first.0);
        h.key_press(egui::Key::Escape);
        h.run_steps(2);
    }
}

#[test]
fn the_review_queue_confirms_subfields_and_the_tree_counts_follow() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bole.db");
    // Three experts without a subfield column: all unclassified.
    let csv = dir.path().join("新名单.csv");
    std::fs::write(
        &csv,
        "专家编号,姓名,工作单位,研究方向\nN1,林一,福州大学,六氟磷酸锂结晶与电解质锂盐提纯\nN2,王二,厦门大学,烧结钕铁硼永磁体晶界扩散\nN3,陈三,福建师范大学,碳化硅单晶PVT生长与外延\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bole"))
        .arg("--db")
        .arg(&db)
        .args(["import", "experts", csv.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut h = harness(&db);
    wait(&mut h, "loaded", |a| a.state.ready && a.state.lists.experts.len() == 3);
    assert_eq!(h.state().state.derived.unclassified.0, 3);
    assert!(h.query_by_label("未分类（3）").is_some());
    h.get_by_label("归类审核…").click();
    wait(&mut h, "queue", |a| a.state.review.loaded);
    assert_eq!(h.state().state.review.queue.len(), 3);
    let first = h.state().state.review.current().unwrap().clone();
    let best = first.suggestions.first().expect("a suggestion").code.clone();
    h.key_press(egui::Key::Enter);
    wait(&mut h, "one confirmed", |a| a.state.derived.unclassified.0 == 2);
    let e = h.state().state.lists.experts.iter().find(|e| e.id == first.row).unwrap().clone();
    assert_eq!(e.subfields, vec![best.clone()]);
    assert!(h.query_by_label("未分类（2）").is_some(), "the tree count follows");
    // Bulk: everything above 30% confidence.
    h.state_mut().state.update(bole::app::UiMsg::Review(bole::app::review::ReviewMsg::Threshold(0.3)));
    h.run_steps(2);
    let n = h.state().state.review.above();
    assert!(n >= 1);
    h.get_by_label(&format!("接受这 {n} 条")).click();
    wait(&mut h, "bulk confirmed", |a| a.state.derived.unclassified.0 == 2 - n);
    // Matching uses the confirmed subfield: the index finds the expert under it.
    drop(h);
    let mut core = bole::engine::Core::open(&db).unwrap();
    let mut req = bole::engine::SearchRequest::new(bole::domain::RecordKind::Expert, &e.name);
    req.subfield = Some(best);
    assert!(core.search(&req).unwrap().iter().any(|x| x.id == e.id), "filtered by the confirmed subfield");
}
