/* Quiz engine: attempts, the seeded draw and shuffle of an attempt, answers, checking, results
   and retries (pure, no DOM). Inline checks use the same layout, ungraded.

   A quiz's saved state: {attempt, seed, answers: {questionId: response}, checked: {questionId:
   true}, submitted, results: [{points, max, passed}]}. The seed decides the attempt's questions
   and orders, so a reload shows the same attempt the same way. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var Q = CW.questions;

  function questionRandom(seed, question) {
    return CW.rng((seed ^ CW.hash(String(question.id || question.key))) >>> 0);
  }

  /* Orders of one question's parts: options (shuffled when asked), matching right-hand sides and
     ordering items (always scrambled: their source order is the answer). */
  function questionLayout(question, seed, shuffleOptions) {
    var random = questionRandom(seed, question);
    var layout = {};
    if (question.type === "single" || question.type === "multiple") {
      var options = CW.range((question.options || []).length);
      layout.options = shuffleOptions ? CW.shuffle(options, random) : options;
    } else if (question.type === "matching") {
      layout.rights = CW.scramble(CW.range((question.pairs || []).length), random);
    } else if (question.type === "ordering") {
      layout.items = CW.scramble(CW.range((question.items || []).length), random);
    }
    return layout;
  }

  /* The questions of an attempt (indexes into quiz.questions, in the order shown) and the layout
     of each. */
  function layout(quiz, seed) {
    var random = CW.rng(seed);
    var pool = CW.range(quiz.questions.length);
    var chosen = pool;
    if (quiz.draw && quiz.draw < pool.length) {
      chosen = CW.shuffle(pool, random).slice(0, quiz.draw);
      if (!quiz.shuffle) chosen.sort(function (a, b) { return a - b; });
    } else if (quiz.shuffle) {
      chosen = CW.shuffle(pool, random);
    }
    return {
      questions: chosen,
      parts: chosen.map(function (i) { return questionLayout(quiz.questions[i], seed, !!quiz.shuffle); })
    };
  }

  function fresh(seed, attempt, results) {
    return { attempt: attempt, seed: seed >>> 0, answers: {}, checked: {}, submitted: false, results: results || [] };
  }

  /* The saved state of a quiz if it is usable, else a first attempt with a new seed. */
  function start(saved, seed) {
    if (saved && typeof saved === "object" && typeof saved.seed === "number" && saved.attempt >= 1) {
      return {
        attempt: saved.attempt,
        seed: saved.seed >>> 0,
        answers: saved.answers && typeof saved.answers === "object" ? saved.answers : {},
        checked: saved.checked && typeof saved.checked === "object" ? saved.checked : {},
        submitted: !!saved.submitted,
        results: Array.isArray(saved.results) ? saved.results : []
      };
    }
    return fresh(seed, 1, []);
  }

  function shown(quiz, qs) {
    return layout(quiz, qs.seed).questions.map(function (i) { return quiz.questions[i]; });
  }

  function isLocked(qs, questionId) {
    return qs.submitted || !!qs.checked[questionId];
  }

  function setAnswer(qs, questionId, response) {
    if (isLocked(qs, questionId)) return false;
    if (response === null || response === undefined) delete qs.answers[questionId];
    else qs.answers[questionId] = response;
    return true;
  }

  function answerOf(qs, question) {
    return CW.own(qs.answers, question.id) ? qs.answers[question.id] : null;
  }

  /* Immediate feedback: check one question and lock it. */
  function check(qs, question) {
    var response = answerOf(qs, question);
    if (!Q.isAnswered(question, response)) return null;
    qs.checked[question.id] = true;
    return { correct: Q.isCorrect(question, response), points: Q.score(question, response) };
  }

  function unanswered(quiz, qs) {
    return shown(quiz, qs).filter(function (q) { return !Q.isAnswered(q, answerOf(qs, q)); });
  }

  function isPassed(quiz, points, max) {
    if (typeof quiz.pass_mark !== "number") return null;
    return max > 0 ? (points * 100) / max >= quiz.pass_mark - 1e-9 : true;
  }

  /* Each shown question with the learner's response and whether it was right. */
  function review(quiz, qs) {
    return shown(quiz, qs).map(function (q) {
      var response = answerOf(qs, q);
      return { question: q, response: response, correct: Q.isCorrect(q, response), points: Q.score(q, response) };
    });
  }

  /* End the attempt: score it and keep the result. */
  function submit(quiz, qs) {
    if (qs.submitted) return qs.results[qs.results.length - 1];
    var points = 0;
    var max = 0;
    review(quiz, qs).forEach(function (r) {
      points += r.points;
      max += Number(r.question.points) || 0;
    });
    var result = { points: points, max: max, passed: isPassed(quiz, points, max) };
    qs.submitted = true;
    qs.results.push(result);
    return result;
  }

  function lastResult(qs) {
    return qs.results.length ? qs.results[qs.results.length - 1] : null;
  }

  /* Attempts not yet started (Infinity when unlimited). */
  function attemptsLeft(quiz, qs) {
    if (!quiz.attempts) return Infinity;
    return Math.max(0, quiz.attempts - qs.attempt);
  }

  function canRetry(quiz, qs) {
    return qs.submitted && attemptsLeft(quiz, qs) > 0;
  }

  function retry(quiz, qs, seed) {
    if (!canRetry(quiz, qs)) return qs;
    return fresh(seed, qs.attempt + 1, qs.results);
  }

  /* Whether checked questions may show their correct answers: always in a knowledge check; in an
     assessment only on the last attempt or once the quiz is passed. */
  function revealsAnswers(quiz, qs) {
    if (quiz.kind !== "assessment" || attemptsLeft(quiz, qs) === 0) return true;
    var last = lastResult(qs);
    return qs.submitted && !!last && last.passed === true;
  }

  function percent(points, max) {
    return max > 0 ? Math.round((points * 100) / max) : 0;
  }

  CW.quiz = {
    layout: layout,
    questionLayout: questionLayout,
    start: start,
    shown: shown,
    isLocked: isLocked,
    setAnswer: setAnswer,
    answerOf: answerOf,
    check: check,
    unanswered: unanswered,
    review: review,
    submit: submit,
    lastResult: lastResult,
    attemptsLeft: attemptsLeft,
    canRetry: canRetry,
    retry: retry,
    revealsAnswers: revealsAnswers,
    isPassed: isPassed,
    percent: percent
  };
})(globalThis);
