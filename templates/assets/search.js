/* 站内搜索: 推荐 results and exact identifier lookup first, then Pagefind full text with filters and a sort order.
   The query lives in the address (?q=…&sort=…&column=…), so results can be bookmarked and Back works. */
const PAGE = 10;
const BRACKETS = { "[": "〔", "［": "〔", "【": "〔", "(": "〔", "（": "〔", "〖": "〔",
                   "]": "〕", "］": "〕", "】": "〕", ")": "〕", "）": "〕", "〗": "〕" };
/* Words that make a query a question but appear in no page: 怎么申请政府信息公开 searches 申请政府信息公开. */
const QUESTION_WORDS = ["请问", "我想", "我要", "想要", "怎么样", "怎么", "怎样", "如何", "在哪里", "在哪儿", "在哪",
                        "哪里", "哪儿", "去哪", "什么", "是否", "能否", "能不能", "可不可以", "可以", "需要", "吗", "呢",
                        "？", "?"];
const SORTS = { newest: { date: "desc" }, oldest: { date: "asc" } };
const ATTACHMENT_ANCHOR = "attachment-";

const form = document.querySelector("[data-search]");
const statusLine = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const more = document.querySelector("[data-search-more]");
const root = new URL(form.dataset.root, window.location.href);
const bets = JSON.parse(document.getElementById("best-bets").textContent);

/* Same steps as disclosure_site/outputs/search.py normalise(): NFKC, lower case, one bracket style, no spaces. */
function normalise(text) {
  return Array.from(text.normalize("NFKC").toLowerCase(), (ch) => BRACKETS[ch] || ch)
    .join("").replace(/\s+/g, "");
}

/* 32-bit FNV-1a over UTF-8, as bucket_of() in search.py. */
function bucketOf(key, buckets) {
  let value = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) {
    value = Math.imul(value ^ byte, 0x01000193) >>> 0;
  }
  return value % buckets;
}

function bestBets(query) {
  const key = normalise(query);
  if (!key) return [];
  return bets.filter((bet) => bet.words.some((word) => key.includes(word))).slice(0, 3).map((bet) => (
    { url: new URL(bet.path, root).href, title: bet.title, note: bet.note, bet: true }));
}

async function exactHits(query) {
  const key = normalise(query);
  if (!key) return [];
  const bucket = bucketOf(key, Number(form.dataset.exactBuckets));
  const response = await fetch(new URL(`search/exact/${bucket}.json`, root));
  if (!response.ok) return [];
  const table = await response.json();
  return (table[key] || []).map(([path, title, date, column]) => (
    { url: new URL(path, root).href, title, date, column, excerpt: "", exact: true, attachments: [] }));
}

/* Quoted Chinese phrases miss in Pagefind unless the words are spaced out, so quotes are dropped; so are the
   question words, which would otherwise have to appear on the page too. */
function fullTextQuery(query) {
  let words = query.replace(/["“”'‘’「」『』]/g, " ");
  for (const word of QUESTION_WORDS) words = words.split(word).join(" ");
  return words.trim() || query.trim();
}

function chosenFilters(params) {
  const filters = {};
  for (const select of form.querySelectorAll("select[data-filter]")) {
    const value = params.get(select.name) || "";
    select.value = value;
    if (value) filters[select.dataset.filter] = value;
  }
  const count = Object.keys(filters).length;
  form.querySelector("[data-filter-count]").textContent = count ? `（已选 ${count} 项）` : "";
  return filters;
}

function chosenSort(params) {
  const select = form.querySelector("[data-search-sort]");
  select.value = SORTS[params.get("sort")] ? params.get("sort") : "";
  select.addEventListener("change", () => form.requestSubmit());
  return SORTS[select.value];
}

/* A large catalogue is indexed in shards by year (pagefind/ holds the newest); the older ones are merged
   into it once, before the first query, and every query then searches them all. */
let engine;
function pagefindEngine() {
  engine ||= (async () => {
    const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    /* Pages here are often whole documents: a long policy that matches should not sink below a short news item
       about it, so page length counts for less than Pagefind's default (0.75). */
    const options = { baseUrl: root.pathname, excerptLength: 40, ranking: { pageLength: 0.3 } };
    await pagefind.options(options);
    for (const folder of (form.dataset.searchShards || "").split(" ").filter(Boolean)) {
      await pagefind.mergeIndex(new URL(`${folder}/`, root).pathname, options);
    }
    return pagefind;
  })();
  return engine;
}

async function fullText(query, filters, sort) {
  const pagefind = await pagefindEngine();
  const search = await pagefind.search(query ? fullTextQuery(query) : null, sort ? { filters, sort } : { filters });
  return search ? search.results : [];
}

/* Pagefind's excerpt is HTML with <mark>; keep only its text and the marks. */
function excerptNodes(html, tag = "p") {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
  const out = document.createElement(tag);
  out.className = "excerpt";
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function titleLink(hit) {
  const heading = document.createElement("h3");
  const link = document.createElement("a");
  link.href = hit.url;
  link.textContent = hit.title;
  if (hit.bet) {
    const mark = document.createElement("span");
    mark.className = "best-bet-mark";
    mark.textContent = "推荐";
    heading.append(mark, " ");
  }
  heading.append(link);
  return heading;
}

function factsLine(hit) {
  const facts = document.createElement("p");
  facts.className = "result-meta";
  if (hit.exact) facts.append("精确匹配 · ");
  if (hit.date) {
    const time = document.createElement("time");
    time.dateTime = time.textContent = hit.date;
    facts.append("发布日期：", time, " · ");
  }
  facts.append(`栏目：${hit.column || "—"}`);
  return facts;
}

/* A match inside an attachment is shown under its entry, linking to the file. */
function attachmentList(attachments) {
  const items = document.createElement("ul");
  items.className = "result-attachments";
  for (const attachment of attachments) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = attachment.url;
    link.textContent = attachment.title;
    item.append("附件：", link);
    if (attachment.excerpt) item.append(excerptNodes(attachment.excerpt, "span"));
    items.append(item);
  }
  return items;
}

function resultItem(hit) {
  const item = document.createElement("li");
  item.append(titleLink(hit));
  if (hit.bet) {
    item.className = "best-bet";
    if (hit.note) item.append(Object.assign(document.createElement("p"), { textContent: hit.note }));
    return item;
  }
  item.append(factsLine(hit));
  if (hit.excerpt) item.append(excerptNodes(hit.excerpt));
  if (hit.attachments.length) item.append(attachmentList(hit.attachments));
  return item;
}

function isAttachment(sub, meta) {
  return Boolean(sub.anchor && sub.anchor.id && sub.anchor.id.startsWith(ATTACHMENT_ANCHOR) && meta[sub.anchor.id]);
}

/* A page whose only matches are in its attachments shows them under its title instead of an excerpt of its own. */
function fromPagefind(data) {
  const subs = data.sub_results || [];
  const attachments = subs.filter((sub) => isAttachment(sub, data.meta)).map((sub) => (
    { url: new URL(data.meta[sub.anchor.id], root).href, title: sub.title.replace(/^附件：/, ""), excerpt: sub.excerpt }));
  const ownMatch = !attachments.length || subs.some((sub) => !isAttachment(sub, data.meta));
  return { url: new URL(data.url, window.location.href).href, title: data.meta.title, date: data.meta.date,
           column: data.meta.column, excerpt: ownMatch ? data.excerpt : "", exact: false, attachments };
}

async function showMore(state) {
  const batch = state.pending.splice(0, PAGE);
  const hits = await Promise.all(batch.map((result) => result.data().then(fromPagefind)));
  for (const hit of hits) {
    if (!state.shown.has(hit.url)) list.append(resultItem(hit));
    state.shown.add(hit.url);
  }
  more.hidden = state.pending.length === 0;
}

function describe(query, filters, found, recommended) {
  const scope = Object.values(filters).length ? `（筛选：${Object.values(filters).join("、")}）` : "";
  const lead = recommended ? `推荐 ${recommended} 项，` : "";
  if (found) return `${lead}共 ${found} 条结果${scope}`;
  const what = query ? `与“${query}”相关的` : "符合条件的";
  if (recommended) return `${lead}没有找到${what}其他信息${scope}。`;
  return `没有找到${what}信息${scope}。可以换用较短的关键词、减少筛选条件，或从目录树按栏目浏览。`;
}

async function run() {
  const params = new URLSearchParams(window.location.search);
  const query = (params.get("q") || "").trim();
  form.querySelector("input[name=q]").value = query;
  const filters = chosenFilters(params);
  const sort = chosenSort(params);
  if (!query && !Object.keys(filters).length) return;
  document.querySelector("[data-search-intro]").hidden = true;
  statusLine.textContent = "正在搜索……";
  try {
    const first = [...bestBets(query), ...await exactHits(query)];
    const shown = new Set();
    const top = first.filter((hit) => !shown.has(hit.url) && shown.add(hit.url));
    const pending = await fullText(query, filters, sort);
    const state = { pending, shown };
    top.forEach((hit) => list.append(resultItem(hit)));
    const recommended = top.filter((hit) => hit.bet).length;
    statusLine.textContent = describe(query, filters, Math.max(pending.length, top.length - recommended), recommended);
    more.addEventListener("click", () => showMore(state));
    await showMore(state);
  } catch (error) {
    statusLine.textContent = "搜索暂时无法使用，请稍后再试，或从目录树按栏目浏览。";
    throw error;
  }
}

run();
