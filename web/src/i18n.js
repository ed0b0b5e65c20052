// The console's texts in English and Chinese. t(key, values) fills {name}s.
const en = {
  'app.title': 'SalesBoost',
  'nav.practice': 'Practice', 'nav.history': 'History', 'nav.documents': 'Documents', 'nav.search': 'Search',
  'nav.users': 'Users', 'nav.logout': 'Sign out', 'nav.language': '中文', 'nav.language.label': 'Switch to Chinese',
  'login.title': 'Sign in', 'login.username': 'Username', 'login.password': 'Password', 'login.submit': 'Sign in',
  'login.failed': 'Wrong username or password.', 'login.locked': 'Too many attempts: try again in {s} s.',
  'common.loading': 'Loading…', 'common.retry': 'Try again', 'common.error': 'Something went wrong: {m}',
  'common.close': 'Close', 'common.delete': 'Delete', 'common.cancel': 'Cancel', 'common.save': 'Save',
  'scenarios.title': 'Choose a scenario', 'scenarios.course': 'Course', 'scenarios.turns': 'up to {n} turns',
  'scenarios.difficulty': 'Difficulty {n} of 5', 'scenarios.start': 'Start practice', 'scenarios.goal': 'Goal',
  'scenarios.rubric': 'How you will be scored', 'scenarios.weight': 'weight {w}', 'scenarios.persona': 'Customer',
  'scenarios.language': 'Session language', 'scenarios.good': 'Good', 'scenarios.poor': 'Poor',
  'practice.placeholder': 'Your reply to the customer…', 'practice.send': 'Send', 'practice.end': 'End session',
  'practice.you': 'You', 'practice.customer': 'Customer', 'practice.coach': 'Coach', 'practice.stage': 'Stage',
  'practice.mood': 'Customer mood', 'practice.checklist': 'Rubric', 'practice.evidence': 'From your documents',
  'practice.status.connecting': 'Connecting…', 'practice.status.online': 'Connected',
  'practice.status.offline': 'Connection lost: reconnecting…', 'practice.status.replaced': 'Opened in another tab',
  'practice.status.closed': 'Disconnected', 'practice.ratelimited': 'Too many turns: you can send again in {s} s.',
  'practice.thinking': 'The customer is answering…', 'practice.ended': 'The session has ended.',
  'practice.report': 'See your report', 'practice.aborted': 'That turn did not go through ({r}); send it again.',
  'practice.error': 'The server refused that: {m}', 'practice.example': 'Try',
  'stage.OPENING': 'Opening', 'stage.NEEDS_DISCOVERY': 'Discovery', 'stage.PRODUCT_INTRO': 'Presentation',
  'stage.OBJECTION_HANDLING': 'Objections', 'stage.CLOSING': 'Closing', 'stage.COMPLETED': 'Won',
  'stage.FAILED': 'Lost',
  'report.title': 'Your report', 'report.overall': 'Overall', 'report.scorecard': 'Scorecard',
  'report.dimensions': 'Turn by turn', 'report.timeline': 'Stages', 'report.next': 'Practise next',
  'report.strongest': 'Your strongest turn', 'report.weakest': 'Your weakest turn', 'report.blockers': 'Blockers',
  'report.cap': 'Score capped at {c}', 'report.outcome': 'Outcome', 'report.transcript': 'Transcript',
  'report.met': 'met', 'report.partly': 'partly', 'report.not_met': 'not met', 'report.again': 'Practise again',
  'history.title': 'Your sessions', 'history.none': 'No sessions yet.', 'history.trend': 'Score trend',
  'history.active': 'in progress', 'history.open': 'Open', 'history.resume': 'Resume',
  'docs.title': 'Knowledge documents', 'docs.drop': 'Drop files here or choose them', 'docs.choose': 'Choose files',
  'docs.collection': 'Collection', 'docs.type': 'Type', 'docs.upload': 'Upload', 'docs.none': 'No documents.',
  'docs.job': 'Upload {id}: {status}', 'docs.confirm': 'Delete {name}?', 'docs.pages': '{n} pages',
  'search.title': 'Search playground', 'search.query': 'Question', 'search.run': 'Search', 'search.none': 'No passages found.',
  'search.bm25': 'BM25', 'search.vector': 'Vector', 'search.fused': 'Fused',
  'dim.integrity': 'Integrity', 'dim.relevance': 'Relevance', 'dim.correctness': 'Correctness', 'dim.logic': 'Logic',
  'dim.compliance': 'Compliance', 'dim.persuasiveness': 'Persuasiveness', 'dim.empathy': 'Empathy',
  'outcome.won': 'Won: the customer agreed', 'outcome.lost': 'Lost: the customer left',
  'outcome.trainee': 'Ended by you', 'outcome.max_turns': 'Out of turns',
  'users.title': 'Users', 'users.create': 'Create user', 'users.username': 'Username', 'users.role': 'Role',
  'users.reset': 'Reset password', 'users.password': 'New password (shown once): {p}', 'users.confirm': 'Delete {name}?',
  'nav.team': 'Team', 'team.title': 'Team', 'team.export': 'Export CSV', 'team.none': 'No trainees yet.',
  'team.trainees': 'Trainees', 'team.trainee': 'Trainee', 'team.sessions': 'Sessions (ended/started)',
  'team.average': 'Average', 'team.latest': 'Latest', 'team.trend': 'Trend', 'team.trend.up': 'improving',
  'team.trend.down': 'declining', 'team.trend.flat': 'steady', 'team.trend.none': 'not enough sessions',
  'team.weakest': 'Weakest criteria across the team', 'team.met_rate': 'Met (%)',
  'team.judged': '({n} sessions)', 'team.rates': 'Criteria met per trainee',
};

const zh = {
  'app.title': 'SalesBoost 销售陪练',
  'nav.practice': '练习', 'nav.history': '历史', 'nav.documents': '知识文档', 'nav.search': '检索', 'nav.users': '用户',
  'nav.logout': '退出', 'nav.language': 'English', 'nav.language.label': '切换到英文',
  'login.title': '登录', 'login.username': '用户名', 'login.password': '密码', 'login.submit': '登录',
  'login.failed': '用户名或密码错误。', 'login.locked': '尝试次数过多，请 {s} 秒后再试。',
  'common.loading': '加载中…', 'common.retry': '重试', 'common.error': '出错了：{m}', 'common.close': '关闭',
  'common.delete': '删除', 'common.cancel': '取消', 'common.save': '保存',
  'scenarios.title': '选择练习场景', 'scenarios.course': '课程', 'scenarios.turns': '最多 {n} 轮',
  'scenarios.difficulty': '难度 {n}/5', 'scenarios.start': '开始练习', 'scenarios.goal': '目标',
  'scenarios.rubric': '评分标准', 'scenarios.weight': '权重 {w}', 'scenarios.persona': '客户',
  'scenarios.language': '会话语言', 'scenarios.good': '好', 'scenarios.poor': '差',
  'practice.placeholder': '回复客户…', 'practice.send': '发送', 'practice.end': '结束练习', 'practice.you': '你',
  'practice.customer': '客户', 'practice.coach': '教练', 'practice.stage': '阶段', 'practice.mood': '客户情绪',
  'practice.checklist': '评分项', 'practice.evidence': '来自知识库',
  'practice.status.connecting': '连接中…', 'practice.status.online': '已连接',
  'practice.status.offline': '连接中断，正在重连…', 'practice.status.replaced': '已在其他页面打开',
  'practice.status.closed': '已断开', 'practice.ratelimited': '发送太频繁，{s} 秒后可再发送。',
  'practice.thinking': '客户正在回复…', 'practice.ended': '练习已结束。', 'practice.report': '查看报告',
  'practice.aborted': '这一轮没有完成（{r}），请重新发送。', 'practice.error': '服务器拒绝了：{m}',
  'practice.example': '可以这样说',
  'stage.OPENING': '开场', 'stage.NEEDS_DISCOVERY': '需求挖掘', 'stage.PRODUCT_INTRO': '产品介绍',
  'stage.OBJECTION_HANDLING': '异议处理', 'stage.CLOSING': '促成', 'stage.COMPLETED': '成交', 'stage.FAILED': '未成交',
  'report.title': '练习报告', 'report.overall': '总分', 'report.scorecard': '评分卡', 'report.dimensions': '逐轮评分',
  'report.timeline': '阶段', 'report.next': '下一步练习', 'report.strongest': '最好的一轮', 'report.weakest': '最弱的一轮',
  'report.blockers': '严重违规', 'report.cap': '分数上限 {c}', 'report.outcome': '结果', 'report.transcript': '对话记录',
  'report.met': '达成', 'report.partly': '部分达成', 'report.not_met': '未达成', 'report.again': '再练一次',
  'history.title': '我的练习', 'history.none': '还没有练习记录。', 'history.trend': '分数趋势', 'history.active': '进行中',
  'history.open': '查看', 'history.resume': '继续',
  'docs.title': '知识文档', 'docs.drop': '把文件拖到这里，或选择文件', 'docs.choose': '选择文件', 'docs.collection': '集合',
  'docs.type': '类型', 'docs.upload': '上传', 'docs.none': '没有文档。', 'docs.job': '上传任务 {id}：{status}',
  'docs.confirm': '删除 {name}？', 'docs.pages': '{n} 页',
  'search.title': '检索调试', 'search.query': '问题', 'search.run': '检索', 'search.none': '没有找到段落。',
  'search.bm25': 'BM25', 'search.vector': '向量', 'search.fused': '融合',
  'dim.integrity': '诚信', 'dim.relevance': '相关性', 'dim.correctness': '准确性', 'dim.logic': '逻辑',
  'dim.compliance': '合规', 'dim.persuasiveness': '说服力', 'dim.empathy': '同理心',
  'outcome.won': '成交：客户同意了', 'outcome.lost': '失败：客户离开了', 'outcome.trainee': '你结束了练习',
  'outcome.max_turns': '轮数用完',
  'users.title': '用户', 'users.create': '创建用户', 'users.username': '用户名', 'users.role': '角色',
  'users.reset': '重置密码', 'users.password': '新密码（只显示一次）：{p}', 'users.confirm': '删除 {name}？',
  'nav.team': '团队', 'team.title': '团队', 'team.export': '导出 CSV', 'team.none': '还没有学员。',
  'team.trainees': '学员', 'team.trainee': '学员', 'team.sessions': '练习（已结束/已开始）',
  'team.average': '平均分', 'team.latest': '最近一次', 'team.trend': '趋势', 'team.trend.up': '上升',
  'team.trend.down': '下降', 'team.trend.flat': '持平', 'team.trend.none': '练习次数不足',
  'team.weakest': '团队最薄弱的评分项', 'team.met_rate': '达成率（%）',
  'team.judged': '（{n} 次练习）', 'team.rates': '各学员的评分项达成率',
};

const tables = { en, zh };

export function translator(language) {
  const table = tables[language] || en;
  return (key, values = {}) => {
    const text = table[key] ?? en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
  };
}

// A text object by language ({"en": "...", "zh": "..."}) in `language`, or any.
export function pick(texts, language) {
  if (texts == null) return '';
  if (typeof texts === 'string') return texts;
  return texts[language] ?? texts.en ?? texts.zh ?? Object.values(texts)[0] ?? '';
}
