"""Near-duplicate reflections found by MinHash/LSH (learnhub.plans.copies), on texts alone."""
from __future__ import annotations

import unicodedata

from learnhub.plans.copies import THRESHOLD, jaccard, near_duplicates, shingles

ORIGINAL = (
    "Qua học tập chuyên đề năm nay, tôi nhận thức sâu sắc hơn về tư tưởng, đạo đức, phong cách Hồ Chí Minh. "
    "Bác luôn đặt lợi ích của nhân dân lên trên hết, sống giản dị, cần kiệm liêm chính, chí công vô tư. "
    "Trong công việc ở bộ phận một cửa, tôi sẽ tiếp dân niềm nở, giải quyết hồ sơ đúng hẹn, không gây phiền hà. "
    "Tôi cam kết rèn luyện bản thân, nói đi đôi với làm, tự phê bình và phê bình nghiêm túc trong chi bộ. "
    "Hằng tháng tôi tự kiểm điểm việc thực hiện cam kết và báo cáo với chi ủy để được nhắc nhở kịp thời."
)
# A few words changed, as a member does who copies a neighbour's text.
EDITED = (
    "Qua học tập chuyên đề năm 2026, tôi nhận thức sâu sắc hơn về tư tưởng, đạo đức, phong cách Hồ Chí Minh. "
    "Bác luôn đặt lợi ích của nhân dân lên trên hết, sống rất giản dị, cần kiệm liêm chính, chí công vô tư. "
    "Trong công việc ở bộ phận văn phòng, tôi sẽ tiếp dân niềm nở, giải quyết hồ sơ đúng hẹn, không gây phiền hà. "
    "Tôi cam kết rèn luyện bản thân, nói đi đôi với làm, tự phê bình và phê bình nghiêm túc trong chi bộ. "
    "Hằng quý tôi tự kiểm điểm việc thực hiện cam kết và báo cáo với chi ủy để được nhắc nhở kịp thời."
)
SENTENCES = [s.strip() + "." for s in ORIGINAL.split(".") if s.strip()]
REORDERED = " ".join([SENTENCES[3], SENTENCES[0], SENTENCES[4], SENTENCES[2], SENTENCES[1]])
# Another member's own reflection on the same study topic.
OWN_WORDS = (
    "Chuyên đề năm nay giúp tôi hiểu rõ hơn tấm gương đạo đức Hồ Chí Minh, nhất là tinh thần phục vụ nhân dân. "
    "Là giáo viên trường tiểu học của thị trấn, tôi thấy mình cần kiên nhẫn hơn với học sinh yếu và gần gũi phụ huynh. "
    "Tôi sẽ soạn bài kỹ, dạy phụ đạo miễn phí buổi chiều thứ năm và thăm gia đình các em có hoàn cảnh khó khăn. "
    "Tôi cam kết giữ gìn phẩm chất nhà giáo, không dạy thêm trái quy định, sống giản dị và đoàn kết với đồng nghiệp. "
    "Cuối học kỳ tôi sẽ báo cáo kết quả thực hiện với chi bộ nhà trường."
)
OTHER_WORDS = (
    "Sau khi nghiên cứu chuyên đề, tôi càng thấm thía lời Bác dạy về cần kiệm liêm chính và chí công vô tư. "
    "Công việc của tôi là kế toán ủy ban thị trấn nên tôi phải minh bạch từng khoản thu chi, công khai đúng hạn. "
    "Tôi sẽ lập sổ theo dõi, đối chiếu chứng từ hằng tuần và trả lời ngay khi người dân hỏi về các khoản đóng góp. "
    "Tôi hứa không nhận quà biếu, tiết kiệm văn phòng phẩm, điện nước nơi công sở và nhắc nhở đồng nghiệp cùng làm. "
    "Tôi đăng ký phấn đấu hoàn thành tốt nhiệm vụ và sẽ tự kiểm điểm vào cuối năm."
)


def test_a_few_changed_words_are_a_copy():
    assert near_duplicates({"a": ORIGINAL, "b": EDITED})[0][:2] == ("a", "b")


def test_reordered_sentences_are_a_copy():
    assert [pair[:2] for pair in near_duplicates({"a": ORIGINAL, "b": REORDERED})] == [("a", "b")]


def test_case_and_unicode_forms_do_not_hide_a_copy():
    decomposed = unicodedata.normalize("NFD", ORIGINAL.upper())
    assert shingles(decomposed) == shingles(ORIGINAL)
    assert near_duplicates({"a": ORIGINAL, "b": decomposed}) == [("a", "b", 1.0)]


def test_different_reflections_on_the_same_topic_are_not_copies():
    texts = {"original": ORIGINAL, "teacher": OWN_WORDS, "accountant": OTHER_WORDS}
    assert near_duplicates(texts) == []
    assert jaccard(shingles(ORIGINAL), shingles(OWN_WORDS)) < THRESHOLD / 3


def test_only_the_copies_among_many_are_paired():
    texts = {f"m{i}": OWN_WORDS.replace("thứ năm", f"thứ {i}") for i in range(3)}
    texts.update({"original": ORIGINAL, "accountant": OTHER_WORDS, "copier": EDITED})
    pairs = {pair[:2] for pair in near_duplicates(texts)}
    assert pairs == {("m0", "m1"), ("m0", "m2"), ("m1", "m2"), ("original", "copier")}


def test_empty_texts_are_never_copies():
    assert near_duplicates({"a": "", "b": "", "c": "  "}) == []
