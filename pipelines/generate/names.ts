import type { Industry, Region } from './catalog.ts';
import { Weighted, type Rng } from './rng.ts';

/**
 * Parts for plausible Chinese company and person names, each with its pinyin so that e-mail addresses
 * can be derived from the name. None of the parts contain a comma or a quote.
 */
type Part = readonly [hanzi: string, pinyin: string];

/** Common surnames, weighted roughly by how common they are. */
const SURNAMES = new Weighted<Part>([
  [['王', 'wang'], 10], [['李', 'li'], 10], [['张', 'zhang'], 9], [['刘', 'liu'], 7], [['陈', 'chen'], 6],
  [['杨', 'yang'], 4], [['黄', 'huang'], 3], [['赵', 'zhao'], 3], [['吴', 'wu'], 3], [['周', 'zhou'], 3],
  [['徐', 'xu'], 2], [['孙', 'sun'], 2], [['马', 'ma'], 2], [['朱', 'zhu'], 2], [['胡', 'hu'], 2],
  [['郭', 'guo'], 2], [['何', 'he'], 2], [['高', 'gao'], 2], [['林', 'lin'], 2], [['罗', 'luo'], 2],
  [['郑', 'zheng'], 1], [['梁', 'liang'], 1], [['谢', 'xie'], 1], [['宋', 'song'], 1], [['唐', 'tang'], 1],
  [['许', 'xu'], 1], [['韩', 'han'], 1], [['冯', 'feng'], 1], [['邓', 'deng'], 1], [['曹', 'cao'], 1],
  [['彭', 'peng'], 1], [['曾', 'zeng'], 1], [['肖', 'xiao'], 1], [['田', 'tian'], 1], [['董', 'dong'], 1],
]);

const GIVEN: readonly Part[] = [
  ['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'],
  ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'],
  ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['秀', 'xiu'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'],
  ['英', 'ying'], ['华', 'hua'], ['玉', 'yu'], ['萍', 'ping'], ['红', 'hong'], ['鹏', 'peng'], ['辉', 'hui'],
  ['婷', 'ting'], ['宇', 'yu'], ['浩', 'hao'], ['欣', 'xin'], ['晨', 'chen'], ['怡', 'yi'], ['子', 'zi'],
  ['轩', 'xuan'], ['雨', 'yu'], ['思', 'si'], ['佳', 'jia'], ['梓', 'zi'], ['涵', 'han'], ['博', 'bo'],
  ['文', 'wen'], ['建', 'jian'], ['志', 'zhi'], ['海', 'hai'], ['琳', 'lin'], ['晓', 'xiao'], ['俊', 'jun'],
];

const BRAND_FIRST: readonly Part[] = [
  ['华', 'hua'], ['鼎', 'ding'], ['恒', 'heng'], ['联', 'lian'], ['盛', 'sheng'], ['信', 'xin'], ['金', 'jin'],
  ['宏', 'hong'], ['新', 'xin'], ['天', 'tian'], ['中', 'zhong'], ['东', 'dong'], ['博', 'bo'], ['瑞', 'rui'],
  ['嘉', 'jia'], ['汇', 'hui'], ['永', 'yong'], ['万', 'wan'], ['启', 'qi'], ['海', 'hai'], ['智', 'zhi'],
  ['凯', 'kai'], ['昊', 'hao'], ['卓', 'zhuo'],
];
const BRAND_SECOND: readonly Part[] = [
  ['信', 'xin'], ['通', 'tong'], ['达', 'da'], ['创', 'chuang'], ['源', 'yuan'], ['泰', 'tai'], ['航', 'hang'],
  ['腾', 'teng'], ['科', 'ke'], ['星', 'xing'], ['锐', 'rui'], ['邦', 'bang'], ['诚', 'cheng'], ['安', 'an'],
  ['润', 'run'], ['远', 'yuan'], ['景', 'jing'], ['峰', 'feng'], ['和', 'he'], ['盛', 'sheng'], ['立', 'li'],
  ['维', 'wei'],
];

/** What follows the brand in a company name, by industry. */
const INDUSTRY_WORDS: Readonly<Record<Industry, readonly string[]>> = {
  制造业: ['机械', '精密制造', '电子', '新材料', '汽车零部件'],
  零售: ['商贸', '百货', '连锁超市', '电子商务'],
  互联网: ['网络科技', '信息技术', '科技', '数据科技', '软件'],
  金融: ['投资', '金融服务', '资产管理', '融资租赁'],
  医疗: ['医疗器械', '生物科技', '医药', '健康科技'],
  教育: ['教育科技', '文化传播', '培训'],
  物流: ['物流', '供应链管理', '国际货运', '速运'],
  餐饮: ['餐饮管理', '食品', '酒店管理'],
};

export const CITIES: Readonly<Record<Region, readonly string[]>> = {
  华东: ['上海', '南京', '杭州', '苏州', '宁波', '合肥', '济南', '青岛', '福州', '厦门', '无锡'],
  华北: ['北京', '天津', '石家庄', '太原', '呼和浩特'],
  华南: ['广州', '深圳', '东莞', '佛山', '南宁', '海口'],
  华中: ['武汉', '长沙', '郑州', '南昌'],
  西南: ['成都', '重庆', '昆明', '贵阳'],
  西北: ['西安', '兰州', '乌鲁木齐', '银川'],
  东北: ['沈阳', '大连', '长春', '哈尔滨'],
};

/** The sales team: a fixed roster, each rep covering one region (bigger regions have more reps). */
export const SALES_REPS: Readonly<Record<Region, readonly string[]>> = {
  华东: ['王磊', '陈静', '张伟', '徐丽', '周杰'],
  华北: ['李强', '赵敏', '刘洋'],
  华南: ['黄婷', '林浩', '梁芳'],
  华中: ['吴勇', '胡艳', '郭鹏'],
  西南: ['杨帆', '罗娟'],
  西北: ['马超', '高霞'],
  东北: ['孙明', '韩雪'],
};
export const ALL_SALES_REPS: readonly string[] = Object.values(SALES_REPS).flat();

export interface PersonName {
  readonly name: string;
  /** e.g. 'wei.zhang' */
  readonly handle: string;
}

export function personName(rng: Rng): PersonName {
  const [surname, surnamePinyin] = SURNAMES.sample(rng);
  const [g1, p1] = rng.pick(GIVEN);
  if (rng.chance(0.35)) return { name: surname + g1, handle: `${p1}.${surnamePinyin}` };
  const [g2, p2] = rng.pick(GIVEN);
  return { name: surname + g1 + g2, handle: `${p1}${p2}.${surnamePinyin}` };
}

export interface CompanyName {
  readonly name: string;
  /** Pinyin of the brand, e.g. 'huaxin', used for the contact e-mail. */
  readonly brand: string;
}

/** e.g. 上海华信科技有限公司: city + brand + industry word + legal form. */
export function companyName(rng: Rng, region: Region, industry: Industry, large: boolean): CompanyName {
  const city = rng.pick(CITIES[region]);
  const [b1, q1] = rng.pick(BRAND_FIRST);
  const [b2, q2] = rng.pick(BRAND_SECOND);
  const word = rng.pick(INDUSTRY_WORDS[industry]);
  const u = rng.float();
  const form = large ? (u < 0.5 ? '集团有限公司' : '股份有限公司') : u < 0.9 ? '有限公司' : '股份有限公司';
  return { name: city + b1 + b2 + word + form, brand: q1 + q2 };
}
